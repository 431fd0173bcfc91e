// A pod's /etc/resolv.conf by dnsPolicy and its managed /etc/hosts, as the kubelet's dns.Configurer and
// its hosts-file writer: pure text from the pod, the node's own resolv.conf and the cluster DNS settings.
import type { Pod } from 'kubernetes-types/core/v1'

export interface ClusterDns {
  /** ClusterIP(s) of the cluster DNS service (--cluster-dns) */
  servers: string[]
  /** --cluster-domain, e.g. cluster.local */
  domain: string
}

export interface HostResolv {
  nameservers: string[]
  searches: string[]
  options: string[]
}

/** Upstream caps the search list at 32 domains. */
const MAX_SEARCH = 32

export function parseResolvConf(text: string): HostResolv {
  const out: HostResolv = { nameservers: [], searches: [], options: [] }
  for (const raw of text.split('\n')) {
    const f = raw
      .replace(/[#;].*$/, '')
      .trim()
      .split(/\s+/)
    if (f[0] === 'nameserver' && f[1]) out.nameservers.push(f[1])
    else if (f[0] === 'search' || f[0] === 'domain') out.searches = f.slice(1)
    else if (f[0] === 'options') out.options.push(...f.slice(1))
  }
  return out
}

/** Host resolv.conf minus loopback nameservers (they do not work from a pod's network namespace). */
function usableHost(host: HostResolv): HostResolv {
  const ns = host.nameservers.filter((s) => !s.startsWith('127.') && s !== '::1')
  return { ...host, nameservers: ns.length ? ns : ['8.8.8.8'] }
}

function mergeOptions(base: string[], extra: { name?: string; value?: string }[] = []): string[] {
  const m = new Map<string, string | undefined>()
  for (const o of base) {
    const [k, v] = o.split(':')
    m.set(k, v)
  }
  for (const o of extra) if (o.name) m.set(o.name, o.value)
  return [...m].map(([k, v]) => (v === undefined ? k : `${k}:${v}`))
}

export function podResolvConf(pod: Pod, host: HostResolv, cluster: ClusterDns): string {
  const spec = pod.spec ?? { containers: [] }
  let policy = spec.dnsPolicy ?? 'ClusterFirst'
  // hostNetwork pods with ClusterFirst use the node's file; ClusterFirstWithHostNet opts into cluster DNS.
  if (policy === 'ClusterFirst' && spec.hostNetwork) policy = 'Default'
  if (policy === 'ClusterFirstWithHostNet') policy = 'ClusterFirst'
  let r: HostResolv
  if (policy === 'None') r = { nameservers: [], searches: [], options: [] }
  else if (policy === 'Default' || !cluster.servers.length) r = usableHost(host)
  else {
    const ns = pod.metadata?.namespace ?? 'default'
    const d = cluster.domain
    r = {
      nameservers: cluster.servers,
      searches: [`${ns}.svc.${d}`, `svc.${d}`, d, ...host.searches],
      options: ['ndots:5'],
    }
  }
  const cfg = spec.dnsConfig
  const nameservers = [...new Set([...r.nameservers, ...(cfg?.nameservers ?? [])])].slice(0, 3)
  const searches = [...new Set([...r.searches, ...(cfg?.searches ?? [])])].slice(0, MAX_SEARCH)
  const options = mergeOptions(r.options, cfg?.options)
  const lines = nameservers.map((s) => `nameserver ${s}`)
  if (searches.length) lines.push(`search ${searches.join(' ')}`)
  if (options.length) lines.push(`options ${options.join(' ')}`)
  return `${lines.join('\n')}\n`
}

/** The kubelet-managed /etc/hosts: localhost lines, the pod's own name(s), then hostAliases. */
export function podHostsFile(pod: Pod, podIPs: string[], clusterDomain: string): string {
  const spec = pod.spec ?? { containers: [] }
  const lines = [
    '# Kubernetes-managed hosts file.',
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'fe00::0\tip6-mcastprefix',
    'fe00::1\tip6-allnodes',
    'fe00::2\tip6-allrouters',
  ]
  const hostname = podHostname(pod)
  const fqdn = spec.subdomain ? `${hostname}.${spec.subdomain}.${pod.metadata?.namespace}.svc.${clusterDomain}` : ''
  for (const ip of podIPs) lines.push(fqdn ? `${ip}\t${fqdn}\t${hostname}` : `${ip}\t${hostname}`)
  if (spec.hostAliases?.length) {
    lines.push('', '# Entries added by HostAliases.')
    for (const a of spec.hostAliases) if (a.ip) lines.push(`${a.ip}\t${(a.hostnames ?? []).join('\t')}`)
  }
  return `${lines.join('\n')}\n`
}

/** spec.hostname, else the pod name truncated to 63 characters (a DNS label), as upstream. */
export function podHostname(pod: Pod): string {
  const h = pod.spec?.hostname || pod.metadata?.name || 'pod'
  return h.slice(0, 63).replace(/[-.]+$/, '')
}
