import { describe, expect, test } from 'bun:test'
import { LogOptionsError, limitBytes, parseLogOptions } from './log-options.ts'

const now = new Date('2026-01-01T00:10:00Z')
const q = (s: string) => new URLSearchParams(s)

describe('log options', () => {
  test.each([
    ['nothing', '', { follow: false, timestamps: false, previous: false }],
    [
      'follow, tail, timestamps',
      'follow=true&tailLines=10&timestamps=true',
      { follow: true, tailLines: 10, timestamps: true },
    ],
    ['sinceSeconds from now', 'sinceSeconds=300', { since: new Date('2026-01-01T00:05:00Z') }],
    ['sinceTime', 'sinceTime=2025-12-31T23:00:00Z', { since: new Date('2025-12-31T23:00:00Z') }],
    ['previous and limitBytes', 'previous=true&limitBytes=5', { previous: true, limitBytes: 5 }],
  ])('%s', (_, query, want) => {
    expect(parseLogOptions(q(query), now)).toMatchObject(want)
  })

  test.each([
    ['both since forms', 'sinceSeconds=1&sinceTime=2025-12-31T23:00:00Z'],
    ['negative tail', 'tailLines=-1'],
    ['zero limitBytes', 'limitBytes=0'],
    ['bad sinceTime', 'sinceTime=yesterday'],
  ])('rejects %s', (_, query) => {
    expect(() => parseLogOptions(q(query), now)).toThrow(LogOptionsError)
  })

  test('limitBytes cuts the stream', async () => {
    const src = new Response('hello world\nmore\n').body!
    expect(await new Response(limitBytes(src, 5)).text()).toBe('hello')
  })
})
