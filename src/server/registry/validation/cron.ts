// Cron schedule syntax as robfig/cron's standard parser (what the CronJob controller uses).
import type { FieldError } from '../types.ts'
import { invalid } from './field-errors.ts'

const DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']
const FIELDS: [string, number, number, string[]?][] = [
  ['minute', 0, 59],
  ['hour', 0, 23],
  ['day of month', 1, 31],
  ['month', 1, 12, ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']],
  ['day of week', 0, 6, ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']],
]

function parseField(text: string, [, min, max, names]: (typeof FIELDS)[number]): string | undefined {
  const num = (s: string) => {
    const i = names?.indexOf(s.toLowerCase()) ?? -1
    if (i >= 0) return i + min
    if (!/^\d+$/.test(s)) return Number.NaN
    return Number(s)
  }
  for (const part of text.split(',')) {
    const [range, step] = part.split('/')
    if (step !== undefined && (!/^\d+$/.test(step) || Number(step) === 0)) return `bad step: ${part}`
    if (range === '*' || range === '?') continue
    const [a, b] = range.split('-')
    const lo = num(a)
    const hi = b === undefined ? lo : num(b)
    if (Number.isNaN(lo) || Number.isNaN(hi)) return `failed to parse int from ${Number.isNaN(lo) ? a : b}`
    if (lo < min) return `beginning of range (${lo}) below minimum (${min}): ${part}`
    if (hi > max) return `end of range (${hi}) above maximum (${max}): ${part}`
    if (lo > hi) return `beginning of range (${lo}) beyond end of range (${hi}): ${part}`
  }
  return undefined
}

export function validateSchedule(field: string, schedule: string): FieldError[] {
  if (/^(CRON_)?TZ=/.test(schedule.trim()))
    return [invalid(field, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead')]
  const s = schedule.trim()
  if (s.startsWith('@')) {
    if (DESCRIPTORS.includes(s) || /^@every \S+$/.test(s)) return []
    return [invalid(field, schedule, `unrecognized descriptor: ${s}`)]
  }
  const parts = s.split(/\s+/).filter(Boolean)
  if (parts.length !== 5) return [invalid(field, schedule, `expected exactly 5 fields, found ${parts.length}: ${s}`)]
  for (let i = 0; i < 5; i++) {
    const err = parseField(parts[i], FIELDS[i])
    if (err) return [invalid(field, schedule, err)]
  }
  return []
}
