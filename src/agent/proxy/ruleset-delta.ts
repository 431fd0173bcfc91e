// Pure: the nft text that turns an installed ruleset `prev` into `next` touching only what changed, as
// kube-proxy's partial syncs do. With 1000 services a full apply parses ~15k lines; a changed endpoint
// rewrites one chain and a few map elements. Both inputs are renderRuleset() output.

export interface ParsedRuleset {
  decls: Map<string, string> // object name → its `add chain|set|map` line
  rules: Map<string, string[]> // chain → rule bodies in order
  elements: Map<string, Map<string, string>> // set/map → key → full `add element` line
  header: string
}

export function parseRuleset(text: string): ParsedRuleset {
  const p: ParsedRuleset = { decls: new Map(), rules: new Map(), elements: new Map(), header: '' }
  for (const line of text.split('\n')) {
    const f = line.split(' ')
    if (f[0] === 'add' && f[1] === 'table') p.header = line
    else if (f[0] === 'add' && (f[1] === 'chain' || f[1] === 'set' || f[1] === 'map')) {
      p.decls.set(f[4], line)
      if (f[1] === 'chain' && !p.rules.has(f[4])) p.rules.set(f[4], [])
    } else if (f[0] === 'add' && f[1] === 'rule') {
      const chain = f[4]
      const rules = p.rules.get(chain) ?? []
      rules.push(f.slice(5).join(' '))
      p.rules.set(chain, rules)
    } else if (f[0] === 'add' && f[1] === 'element') {
      const body = line.slice(line.indexOf('{ ') + 2, line.lastIndexOf(' }'))
      const key = body.split(' : ')[0]
      const m = p.elements.get(f[4]) ?? new Map<string, string>()
      m.set(key, line)
      p.elements.set(f[4], m)
    }
  }
  return p
}

/** prev/next as text or already parsed (the applier keeps the last one parsed: half the work per sync). */
export function rulesetDelta(prev: string | ParsedRuleset, next: string | ParsedRuleset, tableName: string): string {
  const a = typeof prev === 'string' ? parseRuleset(prev) : prev
  const b = typeof next === 'string' ? parseRuleset(next) : next
  const t = `ip ${tableName}`
  const out: string[] = [b.header]
  for (const [name, line] of b.decls) if (a.decls.get(name) !== line) out.push(line)
  for (const [set, els] of a.elements) {
    const now = b.elements.get(set)
    for (const [key, line] of els)
      if (now?.get(key) !== line && b.decls.has(set)) out.push(`delete element ${t} ${set} { ${key} }`)
  }
  for (const [set, els] of b.elements) {
    const before = a.elements.get(set)
    for (const [key, line] of els) if (before?.get(key) !== line) out.push(line)
  }
  for (const [chain, rules] of b.rules) {
    const old = a.rules.get(chain)
    if (old && old.length === rules.length && old.every((r, i) => r === rules[i])) continue
    out.push(`flush chain ${t} ${chain}`)
    for (const r of rules) out.push(`add rule ${t} ${chain} ${r}`)
  }
  const staleChains = [...a.rules.keys()].filter((c) => !b.rules.has(c))
  for (const c of staleChains) out.push(`flush chain ${t} ${c}`)
  for (const c of staleChains) out.push(`delete chain ${t} ${c}`)
  for (const [name, line] of a.decls)
    if (!b.decls.has(name) && !line.startsWith('add chain')) out.push(`delete set ${t} ${name}`)
  return `${out.join('\n')}\n`
}
