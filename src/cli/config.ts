// Config precedence, as k3s: command-line flag > KUBUN_* environment variable > config file > default.
// Each value is validated with valibot against its flag's kind; the first problem becomes a UsageError
// (one line, exit code 2) naming the flag, where the value came from and how to fix it.
import { existsSync, readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import * as v from 'valibot'
import { parse as parseYaml } from 'yaml'
import { camel, envName, type FlagKind, type FlagSpec } from './flags.ts'

export class UsageError extends Error {
  override name = 'UsageError'
}

export const DEFAULT_CONFIG = '/etc/kubun/config.yaml'

export function isCidr(s: string): boolean {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(s)
  if (!m) return false
  const family = isIP(m[1])
  const bits = Number(m[2])
  return family === 4 ? bits <= 32 : family === 6 ? bits <= 128 : false
}

const durationRe = /^(\d+(\.\d+)?(ms|s|m|h))+$/
/** Go-style duration ("40s", "1m30s", "500ms") → milliseconds. */
export function parseDuration(s: string): number {
  let ms = 0
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    ms += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h']
  }
  return ms
}

const str = v.pipe(v.union([v.string(), v.number()]), v.transform(String))
const schemas: Record<FlagKind, v.GenericSchema<unknown, unknown>> = {
  string: str,
  path: v.pipe(str, v.minLength(1, 'must not be empty')),
  url: v.pipe(
    str,
    v.check((s) => URL.canParse(s), 'must be a URL such as https://10.0.0.1:6443'),
  ),
  // Values arrive as strings (flags, env) or YAML scalars: check the text first so the message is ours.
  bool: v.pipe(
    v.unknown(),
    v.check((x) => ['true', 'false', '1', '0'].includes(String(x)), 'must be true or false'),
    v.transform((x) => x === true || x === 'true' || x === '1'),
  ),
  port: v.pipe(
    v.unknown(),
    v.check((x) => /^\d+$/.test(String(x)), 'must be a number'),
    v.transform(Number),
    v.minValue(1, 'must be a port between 1 and 65535'),
    v.maxValue(65535, 'must be a port between 1 and 65535'),
  ),
  int: v.pipe(
    v.unknown(),
    v.check((x) => /^\d+$/.test(String(x)), 'must be a whole number, not negative'),
    v.transform(Number),
  ),
  cidr: v.pipe(str, v.check(isCidr, 'must be a CIDR such as 10.42.0.0/16')),
  ip: v.pipe(
    str,
    v.check((s) => isIP(s) !== 0, 'must be an IP address such as 192.168.1.10'),
  ),
  duration: v.pipe(str, v.regex(durationRe, 'must be a duration such as 40s, 5m or 1h30m')),
  mode: v.pipe(str, v.regex(/^0?[0-7]{3}$/, 'must be an octal file mode such as 0600 or 644')),
  list: v.pipe(
    v.union([v.string(), v.array(str)]),
    v.transform((x) => (Array.isArray(x) ? x : [x]).flatMap((s) => s.split(',')).filter(Boolean)),
  ),
}

export interface ResolveInput {
  specs: FlagSpec[]
  /** options as cac parsed them (camelCase keys); undefined = not given */
  cli: Record<string, unknown>
  env?: Record<string, string | undefined>
}

/** Reads the config file named by --config / KUBUN_CONFIG (default /etc/kubun/config.yaml, optional). */
export function readConfigFile(path: string | undefined, explicit: boolean): Record<string, unknown> {
  const file = path ?? DEFAULT_CONFIG
  if (!explicit && !existsSync(file)) return {}
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    throw new UsageError(
      `cannot read config file ${file}: ${(e as NodeJS.ErrnoException).code ?? e}; fix its path or permissions, or drop --config`,
    )
  }
  let doc: unknown
  try {
    doc = parseYaml(text)
  } catch (e) {
    throw new UsageError(`config file ${file} is not valid YAML: ${(e as Error).message.split('\n')[0]}`)
  }
  if (doc == null) return {}
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new UsageError(
      `config file ${file} must be a YAML mapping of flag names to values, e.g. "data-dir: /var/lib/kubun"`,
    )
  }
  return doc as Record<string, unknown>
}

export type Resolved = Record<string, any>

/** Applies precedence and validation; returns camelCase keys (dataDir, httpsListenPort, ...). */
export function resolveConfig(input: ResolveInput): Resolved {
  const env = input.env ?? process.env
  const cfgPath = (input.cli.config as string | undefined) ?? env.KUBUN_CONFIG
  const file = readConfigFile(cfgPath, cfgPath !== undefined)
  const known = new Set(input.specs.map((s) => s.name))
  for (const key of Object.keys(file)) {
    if (!known.has(key)) {
      throw new UsageError(
        `unknown key "${key}" in config file ${cfgPath ?? DEFAULT_CONFIG}; keys are flag names such as data-dir`,
      )
    }
  }
  const out: Resolved = {}
  for (const spec of input.specs) {
    const key = camel(spec.name)
    let raw: unknown = input.cli[key]
    let source = `--${spec.name}`
    if (raw === undefined) {
      for (const name of [envName(spec.name), ...(spec.env ?? [])]) {
        if (env[name] !== undefined) {
          raw = env[name]
          source = `environment variable ${name}`
          break
        }
      }
    }
    if (raw === undefined && file[spec.name] !== undefined) {
      raw = file[spec.name]
      source = `config key "${spec.name}"`
    }
    if (raw === undefined) {
      out[key] = spec.default
      continue
    }
    const r = v.safeParse(schemas[spec.kind], raw)
    if (!r.success) throw new UsageError(`invalid value ${JSON.stringify(raw)} for ${source}: ${r.issues[0].message}`)
    out[key] = r.output
  }
  return out
}
