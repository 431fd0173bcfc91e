// Structured, quiet-by-default logging: one JSON object per line on stderr when KUBUN_LOG_FORMAT=json,
// otherwise `time level component msg key=value`. Level from KUBUN_LOG_LEVEL (debug|info|warn|error), default info.

type Level = 'debug' | 'info' | 'warn' | 'error'
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 }

function threshold(): number {
  const l = (process.env.KUBUN_LOG_LEVEL ?? 'info') as Level
  return order[l] ?? order.info
}

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
  child(component: string): Logger
}

function fmt(v: unknown): string {
  if (v instanceof Error) return JSON.stringify(v.message)
  const s = typeof v === 'string' ? v : JSON.stringify(v)
  return /[\s"=]/.test(s) ? JSON.stringify(s) : s
}

export function logger(component: string): Logger {
  const write = (level: Level, msg: string, fields?: Record<string, unknown>) => {
    if (order[level] < threshold()) return
    const time = new Date().toISOString()
    if (process.env.KUBUN_LOG_FORMAT === 'json') {
      const f = Object.fromEntries(
        Object.entries(fields ?? {}).map(([k, v]) => [k, v instanceof Error ? v.message : v]),
      )
      process.stderr.write(`${JSON.stringify({ time, level, component, msg, ...f })}\n`)
      return
    }
    const kv = Object.entries(fields ?? {})
      .map(([k, v]) => ` ${k}=${fmt(v)}`)
      .join('')
    process.stderr.write(`${time} ${level.toUpperCase().padEnd(5)} ${component}: ${msg}${kv}\n`)
  }
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (c) => logger(`${component}/${c}`),
  }
}
