// Relays bytes both ways between two Bun sockets with backpressure and half-close: a side whose peer
// cannot keep up is paused (TCP pushes back on the sender) and resumed on drain; a FIN is passed on
// once everything before it was delivered; a hard close of either side closes the other.
import type { Socket } from 'bun'

interface Direction {
  to?: Socket<any>
  queue: Uint8Array[]
  /** once the queue is flushed: pass a FIN on (`half`, shutdown of the write side) or close (`full`) */
  ending?: 'half' | 'full'
}

export interface Relay {
  /** bytes that arrived on side A, for B */
  fromA(chunk: Uint8Array): void
  fromB(chunk: Uint8Array): void
  /** B connected: bytes queued for it go out now */
  attachB(b: Socket<any>): void
  drainA(): void
  drainB(): void
  /** FIN received from a side */
  endA(): void
  endB(): void
  /** A (the client) went away: B is reset at once, nothing is owed to A any more */
  closeA(): void
  /** B went away: what it sent is still delivered to A, then A is ended */
  closeB(): void
}

export function createRelay(a: Socket<any>): Relay {
  let b: Socket<any> | undefined
  let aGone = false
  let bGone = false
  const toA: Direction = { to: a, queue: [] }
  const toB: Direction = { queue: [] }

  function flush(d: Direction, sender: Socket<any> | undefined) {
    if (!d.to) return
    while (d.queue.length) {
      const c = d.queue[0]
      const n = d.to.write(c)
      if (n < c.byteLength) {
        d.queue[0] = c.subarray(Math.max(n, 0))
        return
      }
      d.queue.shift()
    }
    // Bun's end() closes the whole connection; a half-close needs shutdown().
    if (d.ending === 'half') d.to.shutdown()
    else if (d.ending === 'full') d.to.end()
    else sender?.resume()
  }

  function send(d: Direction, sender: Socket<any> | undefined, chunk: Uint8Array) {
    if (!d.to || d.queue.length) {
      // Bun may reuse the chunk's memory after the callback: keep a copy.
      d.queue.push(new Uint8Array(chunk))
      sender?.pause()
      return
    }
    const n = d.to.write(chunk)
    if (n < chunk.byteLength) {
      d.queue.push(new Uint8Array(chunk.subarray(Math.max(n, 0))))
      sender?.pause()
    }
  }

  function end(d: Direction, sender: Socket<any> | undefined, how: 'half' | 'full') {
    if (d.ending === 'full' || d.ending === how) return
    d.ending = how
    flush(d, sender)
  }

  return {
    fromA: (c) => !bGone && send(toB, a, c),
    fromB: (c) => !aGone && send(toA, b, c),
    attachB(s) {
      b = s
      toB.to = s
      if (aGone) s.terminate()
      else flush(toB, a)
    },
    drainA: () => flush(toA, b),
    drainB: () => flush(toB, a),
    endA: () => end(toB, a, 'half'),
    endB: () => end(toA, b, 'half'),
    closeA() {
      aGone = true
      toA.queue.length = 0
      toB.queue.length = 0
      // A reset, not a FIN: the backend must see the request aborted (a watch stops streaming).
      b?.terminate()
    },
    closeB() {
      bGone = true
      toB.queue.length = 0
      if (!aGone) end(toA, undefined, 'full')
    },
  }
}
