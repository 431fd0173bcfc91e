// /healthz, /livez, /readyz with kube-apiserver's text format: `ok`, or with ?verbose one `[+]name ok`
// line per check and `<endpoint> check passed`; a failing check answers 500 with `[-]name failed: reason withheld`.
// `/<endpoint>/<check>` runs a single check, and `?exclude=<check>` skips one, as upstream.

export interface HealthCheck {
  name: string
  /** true when healthy; a string or false when not */
  check(): boolean | string
  /** only for /readyz (e.g. informers synced), not /livez */
  readyOnly?: boolean
}

const endpoints = new Set(['healthz', 'livez', 'readyz'])

export function isHealthPath(path: string): boolean {
  return endpoints.has(path.split('/')[1] ?? '')
}

export function healthResponse(path: string, query: URLSearchParams, checks: HealthCheck[]): Response {
  const [, endpoint, only] = path.split('/')
  const excluded = new Set(query.getAll('exclude'))
  const applicable = checks.filter((c) => (endpoint === 'readyz' || !c.readyOnly) && !excluded.has(c.name))
  const selected = only ? applicable.filter((c) => c.name === only) : applicable
  if (only && !selected.length) return new Response('404 page not found\n', { status: 404 })
  const results = selected.map((c) => {
    let r: boolean | string
    try {
      r = c.check()
    } catch (e) {
      r = (e as Error).message
    }
    return { name: c.name, ok: r === true }
  })
  const ok = results.every((r) => r.ok)
  const headers = { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }
  if (ok && !query.has('verbose')) return new Response('ok', { headers })
  const lines = results.map((r) => (r.ok ? `[+]${r.name} ok` : `[-]${r.name} failed: reason withheld`))
  const tail = only ? '' : `${endpoint} check ${ok ? 'passed' : 'failed'}\n`
  return new Response(`${lines.join('\n')}\n${tail}`, { status: ok ? 200 : 500, headers })
}
