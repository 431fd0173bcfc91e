/**
 * Polls `fn` until it returns a truthy value; errors thrown meanwhile count as "not yet". On timeout the error
 * names what was awaited, the last error, and the tail of `log()` (the server's log), so a red test says why.
 */
export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  opts: { ms?: number; intervalMs?: number; log?: () => string } = {},
): Promise<NonNullable<T>> {
  const end = Date.now() + (opts.ms ?? 30_000)
  let last: unknown
  for (;;) {
    try {
      const v = await fn()
      if (v) return v as NonNullable<T>
    } catch (e) {
      last = e
    }
    if (Date.now() > end) {
      const log = opts.log ? `\nserver log:\n${opts.log().slice(-3000)}` : ''
      throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ''}${log}`)
    }
    await Bun.sleep(opts.intervalMs ?? 250)
  }
}
