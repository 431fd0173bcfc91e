// Container environment as the kubelet builds it (kubelet_pods.go makeEnvironmentVariables): envFrom
// sources first, then env entries, later ones winning; $(VAR) references expand against what is defined
// so far ($$ escapes); a missing non-optional ConfigMap or Secret is a CreateContainerConfigError.
import type { Container, Pod } from 'kubernetes-types/core/v1'
import { parseQuantity } from '../../server/scheduler/quantity.ts'

export class ContainerConfigError extends Error {
  override name = 'ContainerConfigError'
  readonly reason = 'CreateContainerConfigError'
}

/** Reads ConfigMaps and Secrets (decoded to text); undefined when the object does not exist. */
export interface ObjectSource {
  configMap(namespace: string, name: string): Promise<Record<string, string> | undefined>
  secret(namespace: string, name: string): Promise<Record<string, string> | undefined>
}

export interface PodRuntimeInfo {
  podIPs: string[]
  hostIPs: string[]
  nodeName: string
  /** node allocatable, for resourceFieldRef without a limit: cpu in cores, memory in bytes */
  allocatable: { cpu: number; memory: number }
  /** service link variables, set first so the container's own env wins */
  serviceEnv?: Record<string, string>
}

/** Expands $(NAME) from vars; unknown references stay as written; $$ is a literal $. */
export function expandVars(s: string, vars: Map<string, string>): string {
  return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name?: string) => {
    if (m === '$$') return '$'
    return name !== undefined && vars.has(name) ? (vars.get(name) as string) : m
  })
}

export function fieldRefValue(pod: Pod, path: string, info: PodRuntimeInfo): string {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path)
  if (m) return (m[1] === 'labels' ? pod.metadata?.labels : pod.metadata?.annotations)?.[m[2]] ?? ''
  switch (path) {
    case 'metadata.name':
      return pod.metadata?.name ?? ''
    case 'metadata.namespace':
      return pod.metadata?.namespace ?? ''
    case 'metadata.uid':
      return pod.metadata?.uid ?? ''
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? info.nodeName
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? ''
    case 'status.hostIP':
      return info.hostIPs[0] ?? ''
    case 'status.hostIPs':
      return info.hostIPs.join(',')
    case 'status.podIP':
      return info.podIPs[0] ?? ''
    case 'status.podIPs':
      return info.podIPs.join(',')
    case 'metadata.labels':
      return labelLines(pod.metadata?.labels)
    case 'metadata.annotations':
      return labelLines(pod.metadata?.annotations)
  }
  throw new ContainerConfigError(`unsupported fieldRef ${path}`)
}

const labelLines = (m: Record<string, string> = {}) =>
  Object.keys(m)
    .sort()
    .map((k) => `${k}=${JSON.stringify(m[k])}`)
    .join('\n')

/** resourceFieldRef: limits fall back to node allocatable; values divided by divisor, rounded up. */
export function resourceFieldValue(
  container: Container,
  resource: string,
  divisor: string | undefined,
  info: PodRuntimeInfo,
): string {
  const [kind, name] = resource.split('.')
  const set = kind === 'limits' ? container.resources?.limits : container.resources?.requests
  const raw = set?.[name]
  const d = parseQuantity(divisor ?? '') || 1
  let value: number
  if (raw !== undefined) value = parseQuantity(raw)
  else if (kind === 'limits') value = name === 'cpu' ? info.allocatable.cpu : info.allocatable.memory
  else value = 0
  return String(Math.ceil(value / d - 1e-9))
}

export async function resolveEnv(
  pod: Pod,
  c: Container,
  src: ObjectSource,
  info: PodRuntimeInfo,
): Promise<Map<string, string>> {
  const ns = pod.metadata?.namespace ?? 'default'
  const vars = new Map<string, string>(Object.entries(info.serviceEnv ?? {}))
  for (const from of c.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef
    if (!ref?.name) continue
    const kind = from.configMapRef ? 'configmap' : 'secret'
    const data = from.configMapRef ? await src.configMap(ns, ref.name) : await src.secret(ns, ref.name)
    if (!data) {
      if (ref.optional) continue
      throw new ContainerConfigError(`${kind} "${ref.name}" not found`)
    }
    for (const [k, v] of Object.entries(data)) {
      const key = `${from.prefix ?? ''}${k}`
      if (/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(key)) vars.set(key, v)
    }
  }
  for (const e of c.env ?? []) {
    if (e.value !== undefined || !e.valueFrom) {
      vars.set(e.name, expandVars(e.value ?? '', vars))
      continue
    }
    const v = e.valueFrom
    if (v.fieldRef) vars.set(e.name, fieldRefValue(pod, v.fieldRef.fieldPath, info))
    else if (v.resourceFieldRef)
      vars.set(
        e.name,
        resourceFieldValue(c, v.resourceFieldRef.resource, v.resourceFieldRef.divisor as string | undefined, info),
      )
    else {
      const ref = v.configMapKeyRef ?? v.secretKeyRef
      if (!ref) continue
      const kind = v.configMapKeyRef ? 'configmap' : 'secret'
      const data = v.configMapKeyRef ? await src.configMap(ns, ref.name ?? '') : await src.secret(ns, ref.name ?? '')
      const val = data?.[ref.key]
      if (val === undefined) {
        if (ref.optional) continue
        throw new ContainerConfigError(
          data ? `couldn't find key ${ref.key} in ${kind} ${ns}/${ref.name}` : `${kind} "${ref.name}" not found`,
        )
      }
      vars.set(e.name, val)
    }
  }
  return vars
}
