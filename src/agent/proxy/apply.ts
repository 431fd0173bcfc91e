// Applies a generated ruleset with `nft -f -` as one transaction. Unchanged text is skipped; a change is
// applied as a delta against the last applied text (rulesetDelta); the first and every forced apply send the
// whole ruleset plus the deletion of objects it no longer declares. If an apply fails (someone edited the
// table, an affinity timeout changed), the table is replaced whole.
import { type Host, host as localHost } from '../../cni/exec.ts'
import { logger } from '../../shared/log.ts'
import { DEFAULT_TABLE, staleObjects } from './ruleset.ts'
import { type ParsedRuleset, parseRuleset, rulesetDelta } from './ruleset-delta.ts'

const log = logger('proxy')

export interface ApplyResult {
  applied: boolean
  ms: number
  /** true when the table had to be deleted and recreated */
  replaced?: boolean
}

export class RulesetApplier {
  private last?: string
  private lastParsed?: ParsedRuleset

  constructor(
    readonly tableName = DEFAULT_TABLE,
    readonly host: Host = localHost(),
  ) {}

  async apply(text: string, o: { force?: boolean } = {}): Promise<ApplyResult> {
    if (!o.force && text === this.last) return { applied: false, ms: 0 }
    const t0 = performance.now()
    let payload: string
    const parsed = parseRuleset(text)
    if (this.lastParsed && !o.force) payload = rulesetDelta(this.lastParsed, parsed, this.tableName)
    else {
      // After a restart, what is installed is what the table holds: read it so its stale objects go too
      // while the affinity sets of surviving endpoints keep their entries. A forced apply rewrites everything.
      const prev = this.last ?? (await this.installed())
      payload = text + (prev ? staleObjects(prev, text, this.tableName) : '')
    }
    let replaced = false
    try {
      await this.nft(payload)
    } catch (e) {
      log.warn('incremental nft apply failed; replacing the table', { table: this.tableName, error: e })
      const t = `ip ${this.tableName}`
      await this.nft(`add table ${t}\ndelete table ${t}\n${text}`)
      replaced = true
    }
    this.last = text
    this.lastParsed = parsed
    const ms = performance.now() - t0
    log.debug('nft ruleset applied', { table: this.tableName, ms: Math.round(ms * 10) / 10, bytes: text.length })
    return { applied: true, ms, replaced }
  }

  async deleteTable(): Promise<void> {
    await this.host.run(['nft', 'delete', 'table', 'ip', this.tableName], { allowFail: true })
    this.last = undefined
    this.lastParsed = undefined
  }

  private async nft(text: string) {
    await this.host.run(['nft', '-f', '-'], { stdin: text })
  }

  /** The installed table's chains and sets, rendered as `add` lines that declaredObjects() understands. */
  private async installed(): Promise<string | undefined> {
    const r = await this.host.run(['nft', 'list', 'table', 'ip', this.tableName], { allowFail: true })
    if (r.code !== 0) return undefined
    const lines: string[] = []
    for (const m of r.stdout.matchAll(/^\s*(chain|set|map) (\S+) \{/gm))
      lines.push(`add ${m[1]} ip ${this.tableName} ${m[2].replace(/^"|"$/g, '')}`)
    return lines.join('\n')
  }
}
