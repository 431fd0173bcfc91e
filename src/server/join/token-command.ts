// `kubun token create [--ttl 24h] [--description TEXT]` and `kubun token list`, run on a server: they
// talk to the API with the admin kubeconfig and print tokens in k3s's form `K10<CA hash>::<id>.<secret>`
// so agents can pin the CA with them.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { UsageError } from '../../cli/config.ts'
import { httpClient } from '../client/http.ts'
import { createBootstrapToken, listBootstrapTokens } from './bootstrap-tokens.ts'
import { parseToken, parseTtl } from './tokens.ts'

export interface TokenCommandOptions {
  kubeconfig: string
  dataDir: string
  ttl: string
  description?: string
}

export async function runTokenCommand(action: string | undefined, o: TokenCommandOptions): Promise<string> {
  const client = httpClient(o.kubeconfig)
  if (action === 'create') {
    const ttlMs = parseTtl(o.ttl)
    const token = await createBootstrapToken(client, { ttlMs, description: o.description })
    const serverToken = await readFile(join(o.dataDir, 'server', 'node-token'), 'utf8').catch(() => undefined)
    const hash = serverToken ? parseToken(serverToken).caHash : undefined
    return hash ? `K10${hash}::${token}` : token
  }
  if (action === 'list') {
    const tokens = await listBootstrapTokens(client)
    const rows = [['TOKEN', 'TTL', 'EXPIRES', 'USAGES', 'DESCRIPTION']]
    for (const t of tokens) {
      const left = t.expires ? Date.parse(t.expires) - Date.now() : undefined
      const ttl = left === undefined ? '<forever>' : left <= 0 ? '<expired>' : `${Math.ceil(left / 3_600_000)}h`
      rows.push([`${t.id}.<secret>`, ttl, t.expires ?? '<never>', t.usages.join(','), t.description ?? ''])
    }
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
    return rows
      .map((r) =>
        r
          .map((c, i) => c.padEnd(widths[i]))
          .join('   ')
          .trimEnd(),
      )
      .join('\n')
  }
  throw new UsageError(`unknown token action "${action ?? ''}"; use kubun token create or kubun token list`)
}
