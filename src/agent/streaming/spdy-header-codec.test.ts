import { describe, expect, test } from 'bun:test'
import zlib from 'node:zlib'
import { SPDY3_DICTIONARY } from './spdy-dictionary.ts'
import { decodeHeaderBlock, encodeHeaderBlock, SpdyHeaderCodec } from './spdy-header-codec.ts'

describe('SPDY header blocks', () => {
  test('plain blocks round-trip with lower-case names', () => {
    const h = { streamType: 'data', port: '80', requestID: '0' }
    expect(decodeHeaderBlock(encodeHeaderBlock(h))).toEqual({ streamtype: 'data', port: '80', requestid: '0' })
  })

  test('a shared context per direction: later blocks depend on earlier ones and decode in order', async () => {
    const a = new SpdyHeaderCodec()
    const b = new SpdyHeaderCodec()
    const blocks = [
      { streamtype: 'error', port: '80', requestid: '0' },
      { streamtype: 'data', port: '80', requestid: '0' },
      { streamtype: 'error', port: '8080', requestid: '1' },
    ]
    const wire = await Promise.all(blocks.map((h) => a.compress(h)))
    // The second block reuses the first's history: it is smaller, and useless without it.
    expect(wire[1].byteLength).toBeLessThan(wire[0].byteLength)
    const got = []
    for (const w of wire) got.push(await b.decompress(w))
    expect(got).toEqual(blocks)
    a.close()
    b.close()
  })

  test('blocks are compressed with the SPDY/3 dictionary (as a Go peer expects)', async () => {
    const c = new SpdyHeaderCodec()
    const w = await c.compress({ streamtype: 'data' })
    // A fresh inflate with the dictionary reads the first block; without it, zlib asks for one.
    const out = zlib.inflateSync(w, { dictionary: SPDY3_DICTIONARY, finishFlush: zlib.constants.Z_SYNC_FLUSH })
    expect(decodeHeaderBlock(new Uint8Array(out))).toEqual({ streamtype: 'data' })
    expect(() => zlib.inflateSync(w, { finishFlush: zlib.constants.Z_SYNC_FLUSH })).toThrow()
    c.close()
  })
})
