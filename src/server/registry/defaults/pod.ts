// Pod and PodTemplate defaulting as k8s.io/kubernetes pkg/apis/core/v1/defaults.go (plus the Priority
// admission plugin's priority/preemptionPolicy), so `kubectl get -o yaml` shows what users expect.
import type { KubeObject } from '../types.ts'
import { setDefault } from './set-default.ts'

type Obj = Record<string, any>

/** imagePullPolicy: Always for `:latest` or no tag (digests count as a tag), else IfNotPresent. */
export function defaultPullPolicy(image: string | undefined): 'Always' | 'IfNotPresent' {
  if (!image) return 'IfNotPresent'
  if (image.includes('@')) return 'IfNotPresent'
  const lastSlash = image.lastIndexOf('/')
  const colon = image.lastIndexOf(':')
  const tag = colon > lastSlash ? image.slice(colon + 1) : ''
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent'
}

function probeDefaults(p: Obj | undefined) {
  if (!p) return
  setDefault(p, 'timeoutSeconds', 1)
  setDefault(p, 'periodSeconds', 10)
  setDefault(p, 'successThreshold', 1)
  setDefault(p, 'failureThreshold', 3)
  if (p.httpGet) setDefault(p.httpGet, 'scheme', 'HTTP')
  if (p.grpc) setDefault(p.grpc, 'service', '')
}

function handlerDefaults(h: Obj | undefined) {
  if (h?.httpGet) setDefault(h.httpGet, 'scheme', 'HTTP')
}

export function containerDefaults(c: Obj) {
  setDefault(c, 'imagePullPolicy', defaultPullPolicy(c.image))
  setDefault(c, 'terminationMessagePath', '/dev/termination-log')
  setDefault(c, 'terminationMessagePolicy', 'File')
  setDefault(c, 'resources', {})
  for (const p of c.ports ?? []) setDefault(p, 'protocol', 'TCP')
  for (const e of c.env ?? []) if (e.valueFrom?.fieldRef) setDefault(e.valueFrom.fieldRef, 'apiVersion', 'v1')
  probeDefaults(c.livenessProbe)
  probeDefaults(c.readinessProbe)
  probeDefaults(c.startupProbe)
  handlerDefaults(c.lifecycle?.postStart)
  handlerDefaults(c.lifecycle?.preStop)
  // Requests default to limits when only limits are given.
  const r = c.resources
  if (r?.limits) {
    r.requests ??= {}
    for (const [k, v] of Object.entries(r.limits)) setDefault(r.requests, k, v)
  }
}

function volumeDefaults(v: Obj) {
  if (v.configMap) setDefault(v.configMap, 'defaultMode', 0o644)
  if (v.secret) setDefault(v.secret, 'defaultMode', 0o644)
  if (v.downwardAPI) {
    setDefault(v.downwardAPI, 'defaultMode', 0o644)
    for (const i of v.downwardAPI.items ?? []) if (i.fieldRef) setDefault(i.fieldRef, 'apiVersion', 'v1')
  }
  if (v.projected) setDefault(v.projected, 'defaultMode', 0o644)
  if (v.hostPath) setDefault(v.hostPath, 'type', '')
  // A volume with no source is an emptyDir upstream.
  if (Object.keys(v).length === 1 && v.name) v.emptyDir = {}
}

export function podSpecDefaults(spec: Obj | undefined) {
  if (!spec) return
  setDefault(spec, 'restartPolicy', 'Always')
  setDefault(spec, 'dnsPolicy', 'ClusterFirst')
  setDefault(spec, 'terminationGracePeriodSeconds', 30)
  setDefault(spec, 'securityContext', {})
  setDefault(spec, 'schedulerName', 'default-scheduler')
  // serviceAccountName and the deprecated serviceAccount mirror each other.
  if (spec.serviceAccountName && !spec.serviceAccount) spec.serviceAccount = spec.serviceAccountName
  else if (spec.serviceAccount && !spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount
  for (const c of spec.initContainers ?? []) containerDefaults(c)
  for (const c of spec.containers ?? []) containerDefaults(c)
  for (const c of spec.ephemeralContainers ?? []) containerDefaults(c)
  for (const v of spec.volumes ?? []) volumeDefaults(v)
  if (spec.hostNetwork)
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])])
      for (const p of c.ports ?? []) setDefault(p, 'hostPort', p.containerPort)
}

/** QoS class as kubelet/apiserver compute it (pkg/apis/core/helper/qos). */
export function qosClass(spec: Obj | undefined): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const cs = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]
  let anySet = false
  let guaranteed = cs.length > 0
  for (const c of cs) {
    const req = c.resources?.requests ?? {}
    const lim = c.resources?.limits ?? {}
    if (Object.keys(req).length || Object.keys(lim).length) anySet = true
    for (const r of ['cpu', 'memory'])
      if (lim[r] === undefined || String(req[r] ?? lim[r]) !== String(lim[r])) guaranteed = false
  }
  if (!anySet) return 'BestEffort'
  return guaranteed ? 'Guaranteed' : 'Burstable'
}

// DefaultTolerationSeconds admission: pods tolerate a not-ready/unreachable node for 5 minutes.
const DEFAULT_TOLERATIONS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']

/** Pods only (not templates): SetDefaults_Pod's enableServiceLinks, and what the ServiceAccount, Priority and
 * DefaultTolerationSeconds admission plugins add. */
export function podDefaults(obj: KubeObject) {
  obj.spec ??= {}
  podSpecDefaults(obj.spec)
  setDefault(obj.spec, 'serviceAccountName', 'default')
  setDefault(obj.spec, 'serviceAccount', obj.spec.serviceAccountName)
  const tolerations: any[] = (obj.spec.tolerations ??= [])
  for (const key of DEFAULT_TOLERATIONS)
    if (
      !tolerations.some(
        (t) => (t.key === key || (!t.key && t.operator === 'Exists')) && (!t.effect || t.effect === 'NoExecute'),
      )
    )
      tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 })
  setDefault(obj.spec, 'enableServiceLinks', true)
  if (!obj.spec.priorityClassName) setDefault(obj.spec, 'priority', 0)
  setDefault(obj.spec, 'preemptionPolicy', 'PreemptLowerPriority')
  obj.status ??= {}
  setDefault(obj.status, 'phase', 'Pending')
  setDefault(obj.status, 'qosClass', qosClass(obj.spec))
}

/** For kinds that embed a pod template at `template` (spec.template, spec.jobTemplate.spec.template). */
export function templateDefaults(template: Obj | undefined) {
  if (template) podSpecDefaults((template.spec ??= {}))
}
