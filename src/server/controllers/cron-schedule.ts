// Cron schedules as CronJobs accept them (upstream uses robfig/cron's standard parser): five fields
// (minute hour day-of-month month day-of-week) with lists, ranges, steps, `?`, month and weekday names,
// the @yearly/@monthly/@weekly/@daily/@hourly macros, and a `CRON_TZ=`/`TZ=` prefix or spec.timeZone
// (IANA names through Intl). Day-of-month and day-of-week are ORed when both are restricted.

export class CronSyntaxError extends Error {
  override name = 'CronSyntaxError'
}

interface Field {
  values: Set<number>
  star: boolean
}

export interface CronSchedule {
  minute: Field
  hour: Field
  dom: Field
  month: Field
  dow: Field
  timeZone: string
}

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
}
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']

function parseField(text: string, min: number, max: number, names?: string[], nameBase = 0): Field {
  const values = new Set<number>()
  let star = false
  const num = (s: string) => {
    const i = names?.indexOf(s.toLowerCase()) ?? -1
    if (i >= 0) return i + nameBase
    if (!/^\d+$/.test(s)) throw new CronSyntaxError(`failed to parse int from ${s}: invalid syntax`)
    return Number(s)
  }
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/')
    const step = stepText === undefined ? 1 : num(stepText)
    if (step <= 0) throw new CronSyntaxError(`step of range should be a positive number: ${part}`)
    let lo: number
    let hi: number
    if (range === '*' || range === '?') {
      lo = min
      hi = max
      if (stepText === undefined) star = true
    } else if (range.includes('-')) {
      const [a, b] = range.split('-')
      lo = num(a)
      hi = num(b)
    } else {
      lo = num(range)
      hi = stepText === undefined ? lo : max
    }
    if (lo < min || hi > max || lo > hi)
      throw new CronSyntaxError(`end of range (${hi}) above maximum (${max}): ${part}`)
    for (let v = lo; v <= hi; v += step) values.add(v)
  }
  return { values, star }
}

export function parseSchedule(spec: string, timeZone?: string): CronSchedule {
  let text = spec.trim()
  let tz = timeZone || 'UTC'
  const m = /^(?:CRON_TZ|TZ)=(\S+)\s+(.*)$/.exec(text)
  if (m) {
    tz = m[1]
    text = m[2]
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz })
  } catch {
    throw new CronSyntaxError(`unknown time zone ${tz}`)
  }
  text = MACROS[text.toLowerCase()] ?? text
  const f = text.split(/\s+/)
  if (f.length !== 5) throw new CronSyntaxError(`expected exactly 5 fields, found ${f.length}: ${spec}`)
  const dow = parseField(f[4], 0, 7, DAYS)
  if (dow.values.has(7)) dow.values.add(0)
  return {
    minute: parseField(f[0], 0, 59),
    hour: parseField(f[1], 0, 23),
    dom: parseField(f[2], 1, 31),
    month: parseField(f[3], 1, 12, MONTHS, 1),
    dow,
    timeZone: tz,
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>()
function localFields(ms: number, tz: string) {
  let f = formatters.get(tz)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    })
    formatters.set(tz, f)
  }
  const parts: Record<string, string> = {}
  for (const p of f.formatToParts(new Date(ms))) parts[p.type] = p.value
  return {
    month: Number(parts.month),
    dom: Number(parts.day),
    dow: DAYS.indexOf(parts.weekday.toLowerCase().slice(0, 3)),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
  }
}

const MIN = 60_000

/** The first scheduled time strictly after `afterMs`, or undefined within 5 years (e.g. Feb 30). */
export function nextTime(s: CronSchedule, afterMs: number): number | undefined {
  let t = Math.floor(afterMs / MIN) * MIN + MIN
  const limit = afterMs + 5 * 366 * 24 * 60 * MIN
  while (t < limit) {
    const l = localFields(t, s.timeZone)
    const toMidnight = ((23 - l.hour) * 60 + (60 - l.minute)) * MIN
    if (!s.month.values.has(l.month)) {
      t += toMidnight
      continue
    }
    const domOk = s.dom.values.has(l.dom)
    const dowOk = s.dow.values.has(l.dow)
    const dayOk = s.dom.star || s.dow.star ? domOk && dowOk : domOk || dowOk
    if (!dayOk) {
      t += toMidnight
      continue
    }
    if (!s.hour.values.has(l.hour)) {
      t += (60 - l.minute) * MIN
      continue
    }
    if (!s.minute.values.has(l.minute)) {
      t += MIN
      continue
    }
    return t
  }
  return undefined
}

/** The latest scheduled time in (earliestMs, nowMs], and how many were missed before it (capped). */
export function mostRecentTime(s: CronSchedule, earliestMs: number, nowMs: number): { time?: number; missed: number } {
  let t = nextTime(s, earliestMs)
  if (t === undefined || t > nowMs) return { missed: 0 }
  let missed = 0
  for (;;) {
    const n = nextTime(s, t)
    if (n === undefined || n > nowMs) return { time: t, missed }
    t = n
    // upstream gives up on counting after 100 and says so; we only need the last one
    if (++missed > 1000) {
      const recent = mostRecentTime(s, nowMs - 24 * 60 * MIN, nowMs)
      return { time: recent.time ?? t, missed }
    }
  }
}
