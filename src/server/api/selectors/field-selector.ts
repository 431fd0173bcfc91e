// Field selectors as upstream fields.ParseSelector: `a=b`, `a==b`, `a!=b`, comma-separated, ANDed,
// with `\` escaping `,`, `=` and `!` inside values. Supported fields: metadata.name, metadata.namespace
// and the kind's own (ResourceDef.fieldSelectors); anything else is a 400 as upstream.
import { badRequest } from '../../../shared/errors.ts'
import type { KubeObject, ResourceDef } from '../../registry/types.ts'

export interface FieldRequirement {
  field: string
  op: '=' | '!='
  value: string
}
export type FieldSelector = FieldRequirement[]

export function parseFieldSelector(text: string | undefined, def?: Pick<ResourceDef, 'fieldSelectors'>): FieldSelector {
  const src = (text ?? '').trim()
  if (!src) return []
  const out: FieldSelector = []
  for (const part of splitUnescaped(src, ',')) {
    if (!part.trim()) continue
    const m = findOperator(part)
    if (!m) throw badRequest(`invalid selector: '${src}'; can't understand '${part}'`)
    const field = part.slice(0, m.index).trim()
    const value = unescapeValue(part.slice(m.index + m.op.length))
    if (def && !fieldGetter(def, field)) throw badRequest(`field label not supported: ${field}`)
    out.push({ field, op: m.op === '!=' ? '!=' : '=', value })
  }
  return out
}

function splitUnescaped(s: string, sep: string): string[] {
  const parts: string[] = []
  let cur = ''
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length) {
      cur += s[i] + s[i + 1]
      i++
    } else if (s[i] === sep) {
      parts.push(cur)
      cur = ''
    } else cur += s[i]
  }
  parts.push(cur)
  return parts
}

function findOperator(s: string): { index: number; op: string } | undefined {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') {
      i++
      continue
    }
    if (s.startsWith('!=', i)) return { index: i, op: '!=' }
    if (s.startsWith('==', i)) return { index: i, op: '==' }
    if (s[i] === '=') return { index: i, op: '=' }
  }
  return undefined
}

const unescapeValue = (s: string) => s.replace(/\\(.)/g, '$1')

type Getter = (obj: KubeObject) => string | undefined

const builtinFields: Record<string, Getter> = {
  'metadata.name': (o) => o.metadata?.name,
  'metadata.namespace': (o) => o.metadata?.namespace ?? '',
}

export function fieldGetter(def: Pick<ResourceDef, 'fieldSelectors'>, field: string): Getter | undefined {
  return builtinFields[field] ?? def.fieldSelectors?.[field]
}

export function matchFields(sel: FieldSelector, def: Pick<ResourceDef, 'fieldSelectors'>, obj: KubeObject): boolean {
  for (const r of sel) {
    const get = fieldGetter(def, r.field)
    const v = get?.(obj) ?? ''
    if (r.op === '=' ? v !== r.value : v === r.value) return false
  }
  return true
}

/** The single metadata.name a selector pins, if any (lets list/watch skip a scan, as kubectl wait does). */
export function pinnedName(sel: FieldSelector): string | undefined {
  return sel.find((r) => r.field === 'metadata.name' && r.op === '=')?.value
}
