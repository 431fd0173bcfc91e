import { describe, expect, test } from 'bun:test'
import {
  decodeClientFrame,
  encodeFrame,
  exitStatus,
  offeredProtocols,
  pickProtocol,
  STDOUT,
  statusFrame,
} from './channel-frames.ts'

const bytes = (...b: number[]) => new Uint8Array(b)

describe('channel frames', () => {
  test('encodes the channel byte before the payload', () => {
    expect(encodeFrame(STDOUT, 'hi')).toEqual(bytes(1, 104, 105))
    expect(encodeFrame(2, bytes(7))).toEqual(bytes(2, 7))
  })

  test.each([
    ['stdin', bytes(0, 97, 98), { kind: 'stdin', data: bytes(97, 98) }],
    ['stdin EOF (v5 close of channel 0)', bytes(255, 0), { kind: 'close', channel: 0 }],
    ['resize', encodeFrame(4, '{"Width":100,"Height":30}'), { kind: 'resize', width: 100, height: 30 }],
    ['bad resize JSON', encodeFrame(4, '{'), { kind: 'ignored', channel: 4 }],
    ['empty message', bytes(), { kind: 'ignored', channel: -1 }],
    ['a server-only channel from the client', bytes(1, 1), { kind: 'ignored', channel: 1 }],
  ])('decodes %s', (_, msg, want) => {
    expect(decodeClientFrame(msg) as unknown).toEqual(want)
  })

  test('status frames carry Success or the exit code as upstream', () => {
    expect(JSON.parse(new TextDecoder().decode(statusFrame(exitStatus(0)).subarray(1)))).toEqual({
      metadata: {},
      status: 'Success',
    })
    const s = exitStatus(3) as any
    expect(s.reason).toBe('NonZeroExitCode')
    expect(s.details.causes).toEqual([{ reason: 'ExitCode', message: '3' }])
    expect(statusFrame(s)[0]).toBe(3)
  })

  test('picks the best protocol the client offered', () => {
    const offered = offeredProtocols('v4.channel.k8s.io, v5.channel.k8s.io,base64url.bearer.authorization.k8s.io.eA')
    expect(pickProtocol(offered)).toBe('v5.channel.k8s.io')
    expect(pickProtocol(['v4.channel.k8s.io'])).toBe('v4.channel.k8s.io')
    expect(pickProtocol(['channel.k8s.io'])).toBeUndefined()
  })
})
