// Cell formatting shared by the printers, as k8s.io/kubernetes pkg/printers/internalversion does it.
import type { Column, KubeObject } from '../types.ts'

/** apimachinery duration.HumanDuration */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000)
  if (seconds < -1) return '<invalid>'
  if (seconds < 0) return '0s'
  if (seconds < 120) return `${seconds}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`
  if (minutes < 180) return `${minutes}m`
  const hours = Math.floor(minutes / 60)
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`
  if (hours < 48) return `${hours}h`
  if (hours < 24 * 8)
    return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`
  if (hours < 24 * 365 * 8) {
    const y = Math.floor(hours / 24 / 365)
    const d = Math.floor(hours / 24) % 365
    return d === 0 ? `${y}y` : `${y}y${d}d`
  }
  return `${Math.floor(hours / 24 / 365)}y`
}

/** translateTimestampSince: "<unknown>" for a missing timestamp. */
export function since(ts: string | undefined | null, now = Date.now()): string {
  if (!ts) return '<unknown>'
  const t = Date.parse(ts)
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t)
}

/** labels.FormatLabels: `a=b,c=d` sorted by key, `<none>` when empty. */
export function formatLabels(m: Record<string, string> | undefined): string {
  const keys = Object.keys(m ?? {}).sort()
  return keys.length ? keys.map((k) => `${k}=${m![k]}`).join(',') : '<none>'
}

type Selector = {
  matchLabels?: Record<string, string>
  matchExpressions?: { key: string; operator: string; values?: string[] }[]
}

/** metav1.FormatLabelSelector */
export function formatSelector(s: Selector | undefined): string {
  if (!s) return '<none>'
  const parts: string[] = []
  for (const k of Object.keys(s.matchLabels ?? {}).sort()) parts.push(`${k}=${s.matchLabels![k]}`)
  for (const e of s.matchExpressions ?? []) {
    const vals = [...(e.values ?? [])].sort().join(',')
    if (e.operator === 'In') parts.push(`${e.key} in (${vals})`)
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${vals})`)
    else if (e.operator === 'Exists') parts.push(e.key)
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`)
  }
  const out = parts.join(',')
  return out === '' ? '<none>' : out
}

const str = (v: unknown) => (v === undefined || v === null || v === '' ? '<none>' : String(v))

export { str as orNone }

/** The CONTAINERS / IMAGES wide columns of workload printers, reading the pod template at `template`. */
export function containerColumns(template: (o: KubeObject) => any): Column[] {
  return [
    {
      name: 'Containers',
      type: 'string',
      priority: 1,
      description: 'Names of each container in the template.',
      get: (o) => (template(o)?.spec?.containers ?? []).map((c: any) => c.name).join(','),
    },
    {
      name: 'Images',
      type: 'string',
      priority: 1,
      description: 'Images referenced by each container in the template.',
      get: (o) => (template(o)?.spec?.containers ?? []).map((c: any) => c.image).join(','),
    },
  ]
}

export const selectorColumn = (get: (o: KubeObject) => string): Column => ({
  name: 'Selector',
  type: 'string',
  priority: 1,
  description: 'The label selector.',
  get,
})

/** The upstream default for kinds without a printer (and CRDs without additionalPrinterColumns). */
export const createdAt: Column = {
  name: 'Created At',
  type: 'date',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  get: (o) => o.metadata?.creationTimestamp ?? '',
}

export const int = (v: unknown) => (typeof v === 'number' ? v : 0)
