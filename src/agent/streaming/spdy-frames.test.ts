import { describe, expect, test } from 'bun:test'
import { SPDY3_DICTIONARY } from './spdy-dictionary.ts'
import {
  decodeFrame,
  encodeData,
  encodeGoAway,
  encodePing,
  encodeRstStream,
  encodeSettings,
  encodeSynReply,
  encodeSynStream,
  encodeWindowUpdate,
  FLAG_FIN,
  SpdyFrameParser,
  SpdyProtocolError,
} from './spdy-frames.ts'

const block = new Uint8Array([9, 8, 7])

describe('SPDY/3.1 frames', () => {
  test.each([
    ['DATA with FIN', encodeData(5, new Uint8Array([1, 2]), FLAG_FIN), { type: 'data', streamId: 5, flags: 1 }],
    [
      'SYN_STREAM',
      encodeSynStream(3, block, { priority: 2 }),
      { type: 'syn_stream', streamId: 3, associatedId: 0, priority: 2, flags: 0, headerBlock: block },
    ],
    ['SYN_REPLY', encodeSynReply(3, block), { type: 'syn_reply', streamId: 3, flags: 0, headerBlock: block }],
    ['RST_STREAM', encodeRstStream(7, 5), { type: 'rst_stream', streamId: 7, status: 5 }],
    ['PING', encodePing(0xfffffffe), { type: 'ping', id: 0xfffffffe }],
    ['GOAWAY', encodeGoAway(9, 1), { type: 'goaway', lastGoodStreamId: 9, status: 1 }],
    ['WINDOW_UPDATE', encodeWindowUpdate(1, 65536), { type: 'window_update', streamId: 1, delta: 65536 }],
    [
      'SETTINGS',
      encodeSettings([{ id: 7, value: 1 << 20 }]),
      { type: 'settings', flags: 0, entries: [{ id: 7, flags: 0, value: 1 << 20 }] },
    ],
  ])('%s round-trips', (_, bytes, want) => {
    expect(decodeFrame(bytes)).toMatchObject(want as any)
  })

  test('a SYN_STREAM starts 80 03 00 01 on the wire (what kubectl sends first)', () => {
    expect([...encodeSynStream(1, block).subarray(0, 4)]).toEqual([0x80, 0x03, 0x00, 0x01])
  })

  test('the parser reassembles frames split across messages and splits merged ones', () => {
    const wire = new Uint8Array([...encodePing(1), ...encodeData(1, new Uint8Array(300)), ...encodeRstStream(1, 5)])
    const p = new SpdyFrameParser()
    const got = []
    for (let i = 0; i < wire.length; i += 7) got.push(...p.push(wire.subarray(i, i + 7)))
    expect(got.map((f) => f.type)).toEqual(['ping', 'data', 'rst_stream'])
    expect((got[1] as any).data.byteLength).toBe(300)
  })

  test('rejects another SPDY version and truncated control frames', () => {
    const v2 = encodePing(1)
    v2[1] = 2
    expect(() => decodeFrame(v2)).toThrow(SpdyProtocolError)
    const short = encodeRstStream(1, 1).subarray(0, 12)
    short[7] = 4
    expect(() => decodeFrame(short)).toThrow(SpdyProtocolError)
  })

  test('the SPDY/3 dictionary has the specified length and ends', () => {
    expect(SPDY3_DICTIONARY.byteLength).toBe(1423)
    expect(new TextDecoder().decode(SPDY3_DICTIONARY.subarray(4, 11))).toBe('options')
    expect(new TextDecoder().decode(SPDY3_DICTIONARY.subarray(-8))).toBe('*,enq=0.')
  })
})
