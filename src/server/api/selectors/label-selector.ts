// Label selectors as upstream labels.Parse: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`,
// plus `a>1` / `a<1`. Requirements are ANDed. `!=` and `notin` also match objects without the label.
import { badRequest } from '../../../shared/errors.ts'

export type LabelOp = '=' | '!=' | 'in' | 'notin' | 'exists' | '!' | '>' | '<'
export interface LabelRequirement {
  key: string
  op: LabelOp
  values: string[]
}
export type LabelSelector = LabelRequirement[]

/** Throws 400 BadRequest with the parser's reason, as the apiserver does for `?labelSelector=`. */
export function parseLabelSelector(text: string | undefined): LabelSelector {
  const src = (text ?? '').trim()
  if (!src) return []
  const out: LabelSelector = []
  for (const part of splitTopLevel(src)) {
    const s = part.trim()
    if (!s) throw badRequest(`unable to parse requirement: found '', expected: identifier`)
    out.push(parseRequirement(s))
  }
  return out
}

/** Splits on commas outside parentheses. */
function splitTopLevel(s: string): string[] {
  const parts: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    if (c === '(') depth++
    else if (c === ')') depth--
    else if (c === ',' && depth === 0) {
      parts.push(s.slice(start, i))
      start = i + 1
    }
  }
  parts.push(s.slice(start))
  return parts
}

const setRe = /^(\S+)\s+(in|notin)\s*\((.*)\)$/
const opRe = /^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(.*)$/

function parseRequirement(s: string): LabelRequirement {
  if (s.startsWith('!')) return { key: checkKey(s.slice(1).trim()), op: '!', values: [] }
  const set = setRe.exec(s)
  if (set) {
    const values = set[3]
      .split(',')
      .map((v) => v.trim())
      .filter((v, _i, all) => v !== '' || all.length > 1)
    for (const v of values) checkValue(v)
    return { key: checkKey(set[1]), op: set[2] as 'in' | 'notin', values }
  }
  const m = opRe.exec(s)
  if (m) {
    const op = (m[2] === '==' ? '=' : m[2]) as LabelOp
    const value = m[3].trim()
    if ((op === '>' || op === '<') && !/^-?\d+$/.test(value))
      throw badRequest(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`)
    return { key: checkKey(m[1]), op, values: [checkValue(value)] }
  }
  if (/^[^\s=!<>(),]+$/.test(s)) return { key: checkKey(s), op: 'exists', values: [] }
  throw badRequest(`unable to parse requirement: found '${s}', expected: in, notin, =, ==, !=, gt, lt`)
}

// Qualified name: optional DNS subdomain prefix + '/' + name of [A-Za-z0-9._-], alphanumeric at the ends.
const nameRe = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/
const prefixRe = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/

function checkKey(key: string): string {
  const slash = key.lastIndexOf('/')
  const name = slash >= 0 ? key.slice(slash + 1) : key
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined
  if (!nameRe.test(name) || (prefix !== undefined && !prefixRe.test(prefix)))
    throw badRequest(
      `unable to parse requirement: invalid label key "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    )
  return key
}

function checkValue(v: string): string {
  if (v !== '' && !/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(v))
    throw badRequest(
      `unable to parse requirement: invalid label value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    )
  return v
}

export function matchLabels(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  for (const r of sel) {
    const has = labels !== undefined && Object.hasOwn(labels, r.key)
    const v = has ? labels![r.key] : undefined
    switch (r.op) {
      case '=':
        if (v !== r.values[0]) return false
        break
      case '!=':
        if (has && v === r.values[0]) return false
        break
      case 'in':
        if (!has || !r.values.includes(v!)) return false
        break
      case 'notin':
        if (has && r.values.includes(v!)) return false
        break
      case 'exists':
        if (!has) return false
        break
      case '!':
        if (has) return false
        break
      case '>':
      case '<': {
        if (!has || !/^-?\d+$/.test(v!)) return false
        const n = Number(v)
        const ref = Number(r.values[0])
        if (r.op === '>' ? !(n > ref) : !(n < ref)) return false
      }
    }
  }
  return true
}

/** metav1.LabelSelector (matchLabels + matchExpressions) → selector string, as LabelSelectorAsSelector.String(). */
export function labelSelectorToString(sel: {
  matchLabels?: Record<string, string>
  matchExpressions?: { key: string; operator: string; values?: string[] }[]
}): string {
  const parts: string[] = []
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) parts.push(`${k}=${v}`)
  for (const e of sel.matchExpressions ?? []) {
    const vals = [...(e.values ?? [])].sort().join(',')
    if (e.operator === 'In') parts.push(`${e.key} in (${vals})`)
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${vals})`)
    else if (e.operator === 'Exists') parts.push(e.key)
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`)
  }
  return parts.sort().join(',')
}
