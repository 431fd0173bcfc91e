// The JSONPath subset CRD additionalPrinterColumns and selectableFields use (k8s.io/client-go/util/jsonpath):
// `.spec.replicas`, `.items[0].name`, `.items[*].name`, `.status.conditions[?(@.type=="Ready")].status`,
// optionally wrapped in `{}`. Returns every match, in order.

type Step =
  | { key: string }
  | { index: number }
  | { all: true }
  | { filter: { path: string[]; op: string; value: unknown } }

const cache = new Map<string, Step[]>()

function parse(expr: string): Step[] {
  let s = expr.trim()
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1).trim()
  if (s.startsWith('$')) s = s.slice(1)
  const steps: Step[] = []
  let i = 0
  while (i < s.length) {
    if (s[i] === '.') {
      i++
      let j = i
      while (j < s.length && s[j] !== '.' && s[j] !== '[') j++
      if (j > i) steps.push({ key: s.slice(i, j) })
      i = j
    } else if (s[i] === '[') {
      const end = matchingBracket(s, i)
      const inner = s.slice(i + 1, end).trim()
      if (inner === '*') steps.push({ all: true })
      else if (/^-?\d+$/.test(inner)) steps.push({ index: Number(inner) })
      else if (inner.startsWith('?(') && inner.endsWith(')')) steps.push({ filter: parseFilter(inner.slice(2, -1)) })
      else if (/^['"].*['"]$/.test(inner)) steps.push({ key: inner.slice(1, -1) })
      else throw new Error(`unsupported JSONPath segment [${inner}] in ${expr}`)
      i = end + 1
    } else throw new Error(`unexpected character ${JSON.stringify(s[i])} at ${i} in JSONPath ${expr}`)
  }
  return steps
}

function matchingBracket(s: string, open: number): number {
  let depth = 0
  let quote = ''
  for (let i = open; i < s.length; i++) {
    const c = s[i]
    if (quote) {
      if (c === quote) quote = ''
    } else if (c === '"' || c === "'") quote = c
    else if (c === '[') depth++
    else if (c === ']' && --depth === 0) return i
  }
  throw new Error(`unbalanced [ in JSONPath ${s}`)
}

function parseFilter(f: string): { path: string[]; op: string; value: unknown } {
  const m = /^@((?:\.[\w-]+)+)\s*(==|!=|<=|>=|<|>)\s*(.+)$/.exec(f.trim())
  if (!m) {
    const exists = /^@((?:\.[\w-]+)+)$/.exec(f.trim())
    if (exists) return { path: exists[1].slice(1).split('.'), op: 'exists', value: undefined }
    throw new Error(`unsupported JSONPath filter ${f}`)
  }
  let raw = m[3].trim()
  if (/^'.*'$/.test(raw)) raw = JSON.stringify(raw.slice(1, -1))
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    value = raw
  }
  return { path: m[1].slice(1).split('.'), op: m[2], value }
}

const get = (v: any, path: string[]) => path.reduce((x, k) => (x && typeof x === 'object' ? x[k] : undefined), v)

function test(v: unknown, f: { path: string[]; op: string; value: unknown }): boolean {
  const x = get(v, f.path)
  switch (f.op) {
    case 'exists':
      return x !== undefined
    case '==':
      return x === f.value || (x !== undefined && String(x) === String(f.value))
    case '!=':
      return !(x === f.value || (x !== undefined && String(x) === String(f.value)))
    default: {
      const a = Number(x)
      const b = Number(f.value)
      return f.op === '<' ? a < b : f.op === '>' ? a > b : f.op === '<=' ? a <= b : a >= b
    }
  }
}

export function jsonPath(obj: unknown, expr: string): unknown[] {
  let steps = cache.get(expr)
  if (!steps) {
    steps = parse(expr)
    cache.set(expr, steps)
  }
  let cur: unknown[] = [obj]
  for (const step of steps) {
    const next: unknown[] = []
    for (const v of cur) {
      if (v === undefined || v === null) continue
      if ('key' in step) {
        if (typeof v === 'object' && !Array.isArray(v) && step.key in (v as object)) next.push((v as any)[step.key])
      } else if ('index' in step) {
        if (Array.isArray(v)) {
          const x = v[step.index < 0 ? v.length + step.index : step.index]
          if (x !== undefined) next.push(x)
        }
      } else if ('all' in step) {
        if (Array.isArray(v)) next.push(...v)
        else if (typeof v === 'object') next.push(...Object.values(v as object))
      } else if (Array.isArray(v)) next.push(...v.filter((x) => test(x, step.filter)))
    }
    cur = next
  }
  return cur
}

/** Throws with a readable message when the expression is outside the supported subset. */
export const checkJsonPath = (expr: string) => void parse(expr)
