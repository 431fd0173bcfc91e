// Every flag, once: name (k3s's where k3s has one), kind, default and help. The cac options, the
// config-file keys, the KUBUN_* environment variables and the validation all derive from this table.

export type FlagKind =
  | 'string'
  | 'path'
  | 'bool'
  | 'port'
  | 'int'
  | 'cidr'
  | 'ip'
  | 'duration'
  | 'list'
  | 'mode'
  | 'url'

export interface FlagSpec {
  name: string
  kind: FlagKind
  help: string
  default?: string | number | boolean | string[]
  /** extra environment variable names, as k3s reads K3S_URL / K3S_TOKEN */
  env?: string[]
}

const dataDir: FlagSpec = { name: 'data-dir', kind: 'path', default: '/var/lib/kubun', help: 'Folder to hold state' }
const token: FlagSpec = {
  name: 'token',
  kind: 'string',
  env: ['KUBUN_TOKEN'],
  help: 'Shared secret used to join agents',
}
const nodeFlags: FlagSpec[] = [
  { name: 'node-name', kind: 'string', help: 'Node name (default: the hostname)' },
  { name: 'node-ip', kind: 'ip', help: 'IP address to advertise for the node' },
  { name: 'node-label', kind: 'list', default: [], help: 'Label to register the node with (key=value), repeatable' },
  {
    name: 'node-taint',
    kind: 'list',
    default: [],
    help: 'Taint to register the node with (key=value:Effect), repeatable',
  },
  { name: 'docker-socket', kind: 'path', default: '/var/run/docker.sock', help: 'Docker Engine API socket' },
]

export const serverFlags: FlagSpec[] = [
  dataDir,
  { name: 'bind-address', kind: 'ip', default: '0.0.0.0', help: 'Address the API server listens on' },
  { name: 'https-listen-port', kind: 'port', default: 6443, help: 'HTTPS port of the API server' },
  { name: 'advertise-address', kind: 'ip', help: 'IP address agents use to reach the API server' },
  { name: 'tls-san', kind: 'list', default: [], help: 'Extra hostname or IP in the serving certificate, repeatable' },
  {
    name: 'write-kubeconfig',
    kind: 'path',
    default: '/etc/kubun/kubun.yaml',
    help: 'Where to write the admin kubeconfig',
  },
  { name: 'write-kubeconfig-mode', kind: 'mode', default: '0600', help: 'File mode of the admin kubeconfig (octal)' },
  { name: 'disable-agent', kind: 'bool', default: false, help: 'Do not run the local agent' },
  token,
  { name: 'cluster-cidr', kind: 'cidr', default: '10.42.0.0/16', help: 'Pod network (a /24 per node)' },
  { name: 'service-cidr', kind: 'cidr', default: '10.43.0.0/16', help: 'Service ClusterIP range' },
  { name: 'service-node-port-range', kind: 'string', default: '30000-32767', help: 'NodePort range' },
  { name: 'cluster-dns', kind: 'ip', default: '10.43.0.10', help: 'ClusterIP of the cluster DNS service' },
  { name: 'cluster-domain', kind: 'string', default: 'cluster.local', help: 'Cluster domain' },
  {
    name: 'disable',
    kind: 'list',
    default: [],
    help: 'Addon not to deploy (dns, ingress, servicelb, local-storage, metrics-server), repeatable',
  },
  { name: 'datastore-endpoint', kind: 'url', help: 'Datastore URL (default: sqlite://<data-dir>/server/db/state.db)' },
  {
    name: 'etcd-listen',
    kind: 'string',
    help: 'Serve the datastore over the etcd v3 API on HOST:PORT (off by default)',
  },
  {
    name: 'node-monitor-grace-period',
    kind: 'duration',
    default: '40s',
    help: 'Time before an unresponsive node is marked NotReady',
  },
  {
    name: 'default-unreachable-toleration-seconds',
    kind: 'int',
    default: 300,
    help: 'Toleration for unreachable nodes added to pods',
  },
  {
    name: 'terminated-pod-gc-threshold',
    kind: 'int',
    default: 12500,
    help: 'Terminated pods kept before the pod garbage collector deletes the oldest (0: never)',
  },
  ...nodeFlags,
]

export const agentFlags: FlagSpec[] = [
  dataDir,
  { name: 'server', kind: 'url', env: ['KUBUN_URL'], help: 'Server to join, https://HOST:6443' },
  token,
  ...nodeFlags,
]

export const simulateFlags: FlagSpec[] = [
  { name: 'server', kind: 'url', env: ['KUBUN_URL'], help: 'Server to join, https://HOST:6443' },
  token,
  { name: 'nodes', kind: 'int', default: 1, help: 'Number of simulated nodes' },
  { name: 'node-prefix', kind: 'string', default: 'sim-', help: 'Prefix of simulated node names' },
  { name: 'cpu', kind: 'string', default: '4', help: 'CPU capacity per node' },
  { name: 'memory', kind: 'string', default: '8Gi', help: 'Memory capacity per node' },
  { name: 'max-pods', kind: 'int', default: 110, help: 'Pod capacity per node' },
  { name: 'node-label', kind: 'list', default: [], help: 'Label for every simulated node, repeatable' },
  { name: 'node-taint', kind: 'list', default: [], help: 'Taint for every simulated node, repeatable' },
  {
    name: 'complete-after',
    kind: 'duration',
    default: '1s',
    help: 'Run time of containers that exit (restartPolicy Never/OnFailure)',
  },
  {
    name: 'crash-backoff',
    kind: 'duration',
    default: '10s',
    help: 'CrashLoopBackOff base of failing containers: doubles per restart up to 30x (the kubelet: 10s to 5m)',
  },
  {
    name: 'lease-renew-interval',
    kind: 'duration',
    help: 'How often each node renews its Lease (default: 1s up to 50 nodes, then 20ms per node, at most 10s)',
  },
]

/** `data-dir` → `dataDir`, as cac names parsed options. */
export const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())
/** `data-dir` → `KUBUN_DATA_DIR` */
export const envName = (name: string) => `KUBUN_${name.toUpperCase().replace(/-/g, '_')}`
