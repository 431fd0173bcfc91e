// What upstream's ServiceAccount admission plugin and the kubelet's service links give every pod, done
// here at the node because kubun's API server does not (yet) add them at admission: the
// `kube-api-access` projected volume (a bound token, kube-root-ca.crt and the namespace) mounted at
// /var/run/secrets/kubernetes.io/serviceaccount, and the KUBERNETES_SERVICE_* variables of the
// `kubernetes` Service, so in-cluster clients (client-go's InClusterConfig) work. Pure.
import type { Pod, Volume } from 'kubernetes-types/core/v1'

export const SA_MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount'
const VOLUME = 'kube-api-access-kubun'

export function withServiceAccountVolume(pod: Pod): Pod {
  const spec = pod.spec
  if (!spec || spec.automountServiceAccountToken === false) return pod
  const all = [...(spec.initContainers ?? []), ...spec.containers]
  if (all.some((c) => c.volumeMounts?.some((m) => m.mountPath === SA_MOUNT))) return pod
  if (spec.volumes?.some((v) => v.name.startsWith('kube-api-access-'))) return pod
  const volume: Volume = {
    name: VOLUME,
    projected: {
      defaultMode: 0o644,
      sources: [
        { serviceAccountToken: { path: 'token', expirationSeconds: 3607 } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        {
          downwardAPI: {
            items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
          },
        },
      ],
    },
  }
  const mount = { name: VOLUME, mountPath: SA_MOUNT, readOnly: true }
  const addMount = (c: (typeof all)[number]) => ({ ...c, volumeMounts: [...(c.volumeMounts ?? []), mount] })
  return {
    ...pod,
    spec: {
      ...spec,
      volumes: [...(spec.volumes ?? []), volume],
      initContainers: spec.initContainers?.map(addMount),
      containers: spec.containers.map(addMount),
    },
  }
}

/** The `kubernetes` Service's variables, as the kubelet's service links for the master service. */
export function masterServiceEnv(clusterIP: string, port = 443): Record<string, string> {
  const p = `tcp://${clusterIP}:${port}`
  return {
    KUBERNETES_SERVICE_HOST: clusterIP,
    KUBERNETES_SERVICE_PORT: String(port),
    KUBERNETES_SERVICE_PORT_HTTPS: String(port),
    KUBERNETES_PORT: p,
    [`KUBERNETES_PORT_${port}_TCP`]: p,
    [`KUBERNETES_PORT_${port}_TCP_PROTO`]: 'tcp',
    [`KUBERNETES_PORT_${port}_TCP_PORT`]: String(port),
    [`KUBERNETES_PORT_${port}_TCP_ADDR`]: clusterIP,
  }
}
