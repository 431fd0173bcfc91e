// Service, endpoints, endpointslice, ingress and network policy printers.
import type { Column, KubeObject } from '../types.ts'
import { formatLabels, formatSelector, since } from './format.ts'

export const age: Column = {
  name: 'Age',
  type: 'string',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  get: (o, now) => since(o.metadata?.creationTimestamp, now),
}

/** loadBalancerStatusStringer: IPs or hostnames, joined with ',' (truncated to 16 chars unless wide). */
export function lbAddresses(status: any): string {
  return (status?.ingress ?? [])
    .map((i: any) => i.ip || i.hostname)
    .filter(Boolean)
    .join(',')
}

export function serviceExternalIP(o: KubeObject): string {
  const spec = o.spec ?? {}
  const ext: string[] = spec.externalIPs ?? []
  switch (spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return ext.length ? ext.join(',') : '<none>'
    case 'LoadBalancer': {
      const lb = lbAddresses(o.status?.loadBalancer)
      const all = [...ext, ...(lb ? lb.split(',') : [])]
      return all.length ? all.join(',') : '<pending>'
    }
    case 'ExternalName':
      return spec.externalName ?? ''
    default:
      return '<unknown>'
  }
}

export function servicePorts(o: KubeObject): string {
  const ports: any[] = o.spec?.ports ?? []
  if (!ports.length) return '<none>'
  return ports
    .map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`))
    .join(',')
}

export const serviceColumns: Column[] = [
  {
    name: 'Type',
    type: 'string',
    description: 'type determines how the Service is exposed.',
    get: (o) => o.spec?.type ?? 'ClusterIP',
  },
  {
    name: 'Cluster-IP',
    type: 'string',
    description: 'clusterIP is the IP address of the service and is usually assigned randomly.',
    get: (o) => (o.spec?.clusterIPs?.length ? o.spec.clusterIPs.join(',') : o.spec?.clusterIP || '<none>'),
  },
  {
    name: 'External-IP',
    type: 'string',
    description:
      'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.',
    get: serviceExternalIP,
  },
  {
    name: 'Port(s)',
    type: 'string',
    description: 'The list of ports that are exposed by this service.',
    get: servicePorts,
  },
  age,
  {
    name: 'Selector',
    type: 'string',
    priority: 1,
    description: 'Route service traffic to pods with label keys and values matching this selector.',
    get: (o) => formatLabels(o.spec?.selector),
  },
]

/** formatEndpoints: up to three `ip:port`, then ` + N more...`. */
export function formatEndpoints(o: KubeObject): string {
  const list: string[] = []
  let count = 0
  for (const ss of o.subsets ?? []) {
    const ports: any[] = ss.ports?.length ? ss.ports : [undefined]
    for (const p of ports)
      for (const a of ss.addresses ?? []) {
        count++
        if (list.length < 3) list.push(p ? `${a.ip}:${p.port}` : a.ip)
      }
  }
  if (!count) return '<none>'
  return count > 3 ? `${list.join(',')} + ${count - 3} more...` : list.join(',')
}

export const endpointsColumns: Column[] = [
  { name: 'Endpoints', type: 'string', description: 'Endpoints of the service', get: formatEndpoints },
  age,
]

export const endpointSliceColumns: Column[] = [
  {
    name: 'AddressType',
    type: 'string',
    description: 'Type of address carried by this EndpointSlice.',
    get: (o) => o.addressType ?? '',
  },
  {
    name: 'Ports',
    type: 'string',
    description: 'Ports advertised by this EndpointSlice.',
    get: (o) => {
      const ps: any[] = o.ports ?? []
      if (!ps.length) return '<unset>'
      const shown = ps.slice(0, 3).map((p) => (p.port == null ? '<unset>' : String(p.port)))
      return ps.length > 3 ? `${shown.join(',')} + ${ps.length - 3} more...` : shown.join(',')
    },
  },
  {
    name: 'Endpoints',
    type: 'string',
    description: 'Endpoints included in this EndpointSlice.',
    get: (o) => {
      const addrs: string[] = (o.endpoints ?? []).flatMap((e: any) => e.addresses ?? [])
      if (!addrs.length) return '<unset>'
      return addrs.length > 3 ? `${addrs.slice(0, 3).join(',')} + ${addrs.length - 3} more...` : addrs.join(',')
    },
  },
  age,
]

export const ingressColumns: Column[] = [
  {
    name: 'Class',
    type: 'string',
    description: 'The name of the IngressClass resource.',
    get: (o) => o.spec?.ingressClassName || '<none>',
  },
  {
    name: 'Hosts',
    type: 'string',
    description: 'Hosts that incoming requests are matched against before the ingress rule',
    get: (o) => {
      const hosts: string[] = (o.spec?.rules ?? []).map((r: any) => r.host).filter(Boolean)
      if (!hosts.length) return '*'
      return hosts.length > 4 ? `${hosts.slice(0, 4).join(',')} + ${hosts.length - 4} more...` : hosts.join(',')
    },
  },
  {
    name: 'Address',
    type: 'string',
    description: 'Address is a list containing ingress points for the load-balancer',
    get: (o) => lbAddresses(o.status?.loadBalancer),
  },
  {
    name: 'Ports',
    type: 'string',
    description: 'Ports of TLS configurations that open',
    get: (o) => (o.spec?.tls?.length ? '80, 443' : '80'),
  },
  age,
]

export const ingressClassColumns: Column[] = [
  {
    name: 'Controller',
    type: 'string',
    description: 'Controller that is responsible for handling this class.',
    get: (o) => o.spec?.controller ?? '',
  },
  {
    name: 'Parameters',
    type: 'string',
    description: 'A reference to a resource with additional parameters.',
    get: (o) => {
      const p = o.spec?.parameters
      if (!p) return '<none>'
      return `${p.apiGroup ? `${p.kind}.${p.apiGroup}` : p.kind}/${p.name}`
    },
  },
  age,
]

export const networkPolicyColumns: Column[] = [
  {
    name: 'Pod-Selector',
    type: 'string',
    description: 'Selects the pods to which this NetworkPolicy object applies.',
    get: (o) => formatSelector(o.spec?.podSelector),
  },
  age,
]
