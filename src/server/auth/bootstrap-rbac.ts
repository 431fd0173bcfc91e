// Default RBAC objects, after kube-apiserver's bootstrappolicy (plugin/pkg/auth/authorizer/rbac/
// bootstrappolicy/policy.go). view/edit/admin are aggregated upstream; here their rules are written out
// flat (aggregation is not implemented), approximating what upstream's aggregation yields.
// Controllers run in-process as system:masters, so no system:controller:* roles are needed.
// system:node is bound to the system:nodes group (upstream leaves it unbound and uses the Node
// authorizer to limit each kubelet to its own objects; kubun does not restrict per node yet).
import type { KubeObject } from '../registry/types.ts'
import type { PolicyRule } from './rbac-rules.ts'
import { ALL_AUTHENTICATED, ALL_UNAUTHENTICATED, NODES_GROUP, SERVICE_ACCOUNTS_GROUP, SYSTEM_MASTERS } from './users.ts'

const MONITORING_GROUP = 'system:monitoring'

const RBAC_V1 = 'rbac.authorization.k8s.io/v1'
const READ = ['get', 'list', 'watch']
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update']

const rule = (apiGroups: string[], resources: string[], verbs: string[]): PolicyRule => ({
  apiGroups,
  resources,
  verbs,
})
const urls = (nonResourceURLs: string[], verbs: string[]): PolicyRule => ({ nonResourceURLs, verbs })

const meta = (name: string) => ({
  name,
  labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
  annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
})

const clusterRole = (name: string, rules: PolicyRule[]): KubeObject => ({
  apiVersion: RBAC_V1,
  kind: 'ClusterRole',
  metadata: meta(name),
  rules,
})

const clusterRoleBinding = (name: string, role: string, groups: string[]): KubeObject => ({
  apiVersion: RBAC_V1,
  kind: 'ClusterRoleBinding',
  metadata: meta(name),
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects: groups.map((g) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: g })),
})

function viewRules(): PolicyRule[] {
  return [
    rule(
      [''],
      [
        'configmaps',
        'endpoints',
        'persistentvolumeclaims',
        'persistentvolumeclaims/status',
        'pods',
        'replicationcontrollers',
        'replicationcontrollers/scale',
        'serviceaccounts',
        'services',
        'services/status',
      ],
      READ,
    ),
    rule(
      [''],
      [
        'bindings',
        'events',
        'limitranges',
        'namespaces/status',
        'pods/log',
        'pods/status',
        'replicationcontrollers/status',
        'resourcequotas',
        'resourcequotas/status',
      ],
      READ,
    ),
    rule([''], ['namespaces'], READ),
    rule(['discovery.k8s.io'], ['endpointslices'], READ),
    rule(
      ['apps'],
      [
        'controllerrevisions',
        'daemonsets',
        'daemonsets/status',
        'deployments',
        'deployments/scale',
        'deployments/status',
        'replicasets',
        'replicasets/scale',
        'replicasets/status',
        'statefulsets',
        'statefulsets/scale',
        'statefulsets/status',
      ],
      READ,
    ),
    rule(['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], READ),
    rule(['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], READ),
    rule(['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status'], READ),
    rule(['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies'], READ),
    rule(['events.k8s.io'], ['events'], READ),
    rule(['metrics.k8s.io'], ['pods', 'nodes'], READ),
  ]
}

function editRules(): PolicyRule[] {
  return [
    ...viewRules(),
    rule([''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], READ),
    rule([''], ['serviceaccounts'], ['impersonate']),
    rule([''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], WRITE),
    rule([''], ['pods/eviction'], ['create']),
    rule(
      [''],
      [
        'configmaps',
        'events',
        'persistentvolumeclaims',
        'replicationcontrollers',
        'replicationcontrollers/scale',
        'secrets',
        'serviceaccounts',
        'services',
        'services/proxy',
      ],
      WRITE,
    ),
    rule([''], ['serviceaccounts/token'], ['create']),
    rule(
      ['apps'],
      [
        'daemonsets',
        'deployments',
        'deployments/rollback',
        'deployments/scale',
        'replicasets',
        'replicasets/scale',
        'statefulsets',
        'statefulsets/scale',
      ],
      WRITE,
    ),
    rule(['autoscaling'], ['horizontalpodautoscalers'], WRITE),
    rule(['batch'], ['cronjobs', 'jobs'], WRITE),
    rule(['policy'], ['poddisruptionbudgets'], WRITE),
    rule(['networking.k8s.io'], ['ingresses', 'networkpolicies'], WRITE),
    rule(['events.k8s.io'], ['events'], WRITE),
    rule(['coordination.k8s.io'], ['leases'], [...READ, ...WRITE]),
  ]
}

function adminRules(): PolicyRule[] {
  return [
    ...editRules(),
    rule(['authorization.k8s.io'], ['localsubjectaccessreviews'], ['create']),
    rule(['rbac.authorization.k8s.io'], ['rolebindings', 'roles'], [...READ, ...WRITE]),
  ]
}

/** What a kubelet and the node's service proxy need (upstream NodeRules plus kube-proxy's). */
function nodeRules(): PolicyRule[] {
  return [
    rule(['authentication.k8s.io'], ['tokenreviews'], ['create']),
    rule(['authorization.k8s.io'], ['subjectaccessreviews', 'localsubjectaccessreviews'], ['create']),
    rule([''], ['services', 'endpoints'], READ),
    rule(['discovery.k8s.io'], ['endpointslices'], READ),
    rule([''], ['nodes'], ['create', 'get', 'list', 'watch', 'update', 'patch', 'delete']),
    rule([''], ['nodes/status'], ['patch', 'update']),
    rule([''], ['events'], ['create', 'patch', 'update']),
    rule(['events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    rule([''], ['pods'], [...READ, 'create', 'delete']),
    rule([''], ['pods/status'], ['patch', 'update']),
    rule([''], ['pods/eviction'], ['create']),
    rule([''], ['secrets', 'configmaps'], READ),
    rule([''], ['persistentvolumeclaims', 'persistentvolumes'], ['get']),
    rule([''], ['persistentvolumeclaims/status'], ['get', 'update', 'patch']),
    rule([''], ['serviceaccounts/token'], ['create']),
    rule(['coordination.k8s.io'], ['leases'], ['get', 'create', 'update', 'patch', 'delete']),
    rule(['storage.k8s.io'], ['volumeattachments', 'csidrivers'], ['get', 'list', 'watch']),
    rule(['storage.k8s.io'], ['csinodes'], ['get', 'create', 'delete', 'patch', 'update']),
    rule(['node.k8s.io'], ['runtimeclasses'], READ),
    rule(['certificates.k8s.io'], ['certificatesigningrequests'], ['create', ...READ]),
  ]
}

/** The default ClusterRoles and ClusterRoleBindings, created at start when missing. */
export function bootstrapRbac(): KubeObject[] {
  return [
    clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), urls(['*'], ['*'])]),
    clusterRole('admin', adminRules()),
    clusterRole('edit', editRules()),
    clusterRole('view', viewRules()),
    clusterRole('system:basic-user', [
      rule(['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], ['create']),
      rule(['authentication.k8s.io'], ['selfsubjectreviews'], ['create']),
    ]),
    clusterRole('system:discovery', [
      urls(
        [
          '/api',
          '/api/*',
          '/apis',
          '/apis/*',
          '/healthz',
          '/livez',
          '/openapi',
          '/openapi/*',
          '/readyz',
          '/version',
          '/version/',
        ],
        ['get'],
      ),
    ]),
    clusterRole('system:public-info-viewer', [
      urls(['/healthz', '/livez', '/readyz', '/version', '/version/'], ['get']),
    ]),
    // minimal read of the monitoring endpoints (upstream bootstrappolicy), bound to the system:monitoring group
    clusterRole('system:monitoring', [
      urls(
        ['/metrics', '/metrics/slis', '/livez', '/readyz', '/healthz', '/livez/*', '/readyz/*', '/healthz/*'],
        ['get'],
      ),
    ]),
    // ServiceAccount token issuer discovery (OIDC), readable by every ServiceAccount as upstream
    clusterRole('system:service-account-issuer-discovery', [
      urls(
        [
          '/.well-known/openid-configuration',
          '/.well-known/openid-configuration/',
          '/openid/v1/jwks',
          '/openid/v1/jwks/',
        ],
        ['get'],
      ),
    ]),
    clusterRole('system:node', nodeRules()),
    clusterRoleBinding('cluster-admin', 'cluster-admin', [SYSTEM_MASTERS]),
    clusterRoleBinding('system:basic-user', 'system:basic-user', [ALL_AUTHENTICATED]),
    clusterRoleBinding('system:discovery', 'system:discovery', [ALL_AUTHENTICATED]),
    clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', [
      ALL_AUTHENTICATED,
      ALL_UNAUTHENTICATED,
    ]),
    clusterRoleBinding('system:monitoring', 'system:monitoring', [MONITORING_GROUP]),
    clusterRoleBinding('system:service-account-issuer-discovery', 'system:service-account-issuer-discovery', [
      SERVICE_ACCOUNTS_GROUP,
    ]),
    clusterRoleBinding('system:node', 'system:node', [NODES_GROUP]),
  ]
}
