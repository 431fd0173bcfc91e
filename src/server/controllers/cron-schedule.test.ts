import { expect, test } from 'bun:test'
import { CronSyntaxError, mostRecentTime, nextTime, parseSchedule } from './cron-schedule.ts'

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString())
const at = (s: string) => Date.parse(s)

test.each([
  { spec: '*/5 * * * *', after: '2026-03-01T10:07:30Z', next: '2026-03-01T10:10:00.000Z' },
  { spec: '@hourly', after: '2026-03-01T10:07:00Z', next: '2026-03-01T11:00:00.000Z' },
  { spec: '@daily', after: '2026-03-01T10:07:00Z', next: '2026-03-02T00:00:00.000Z' },
  { spec: '0 9 * * mon-fri', after: '2026-03-06T10:00:00Z', next: '2026-03-09T09:00:00.000Z' },
  { spec: '30 2 1 jan,jul *', after: '2026-03-01T00:00:00Z', next: '2026-07-01T02:30:00.000Z' },
  // day-of-month OR day-of-week when both are restricted (the 13th, or any Friday)
  { spec: '0 0 13 * 5', after: '2026-03-01T00:00:00Z', next: '2026-03-06T00:00:00.000Z' },
  { spec: 'CRON_TZ=Europe/Paris 0 9 * * *', after: '2026-07-01T00:00:00Z', next: '2026-07-01T07:00:00.000Z' },
  { spec: 'TZ=America/New_York 0 0 * * *', after: '2026-01-10T12:00:00Z', next: '2026-01-11T05:00:00.000Z' },
])('$spec after $after', ({ spec, after, next }) => {
  expect(iso(nextTime(parseSchedule(spec), at(after)))).toBe(next)
})

test('spec.timeZone applies when the schedule has no prefix', () => {
  expect(iso(nextTime(parseSchedule('0 9 * * *', 'Asia/Tokyo'), at('2026-07-01T00:00:00Z')))).toBe(
    '2026-07-02T00:00:00.000Z',
  )
})

test.each(['* * * *', '61 * * * *', '* * * * * *', '*/0 * * * *', 'CRON_TZ=Mars/Olympus * * * * *'])(
  'refuses %p',
  (spec) => {
    expect(() => parseSchedule(spec)).toThrow(CronSyntaxError)
  },
)

test('the most recent missed time and the count of earlier misses', () => {
  const r = mostRecentTime(parseSchedule('*/10 * * * *'), at('2026-03-01T10:00:00Z'), at('2026-03-01T10:35:00Z'))
  expect(iso(r.time)).toBe('2026-03-01T10:30:00.000Z')
  expect(r.missed).toBe(2)
  expect(
    mostRecentTime(parseSchedule('@daily'), at('2026-03-01T10:00:00Z'), at('2026-03-01T11:00:00Z')).time,
  ).toBeUndefined()
})
