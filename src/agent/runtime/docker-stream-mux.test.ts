import { describe, expect, test } from 'bun:test'
import { DockerDemuxer, demuxStream } from './docker-stream-mux.ts'

function frame(stream: number, s: string): Uint8Array {
  const body = new TextEncoder().encode(s)
  const out = new Uint8Array(8 + body.byteLength)
  out[0] = stream
  new DataView(out.buffer).setUint32(4, body.byteLength)
  out.set(body, 8)
  return out
}

describe('Docker stream demultiplexing', () => {
  test('splits stdout and stderr, whatever the chunking', () => {
    const wire = new Uint8Array([...frame(1, 'out\n'), ...frame(2, 'err\n'), ...frame(1, '')])
    for (const step of [1, 3, 8, wire.length]) {
      const d = new DockerDemuxer()
      const got: string[] = []
      for (let i = 0; i < wire.length; i += step)
        for (const p of d.push(wire.subarray(i, i + step))) got.push(`${p.channel}:${new TextDecoder().decode(p.data)}`)
      expect(got).toEqual(['1:out\n', '2:err\n'])
    }
  })

  test('a log stream comes out as the merged text', async () => {
    const src = new Response(new Blob([frame(1, 'a\n'), frame(2, 'b\n')])).body!
    expect(await new Response(demuxStream(src)).text()).toBe('a\nb\n')
  })
})
