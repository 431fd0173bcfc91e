// The containerLogs query (upstream PodLogOptions as the kubelet reads it) → LogOptions. The API server
// forwards kubectl's pods/log query unchanged, so both ends use this.
import type { LogOptions } from './runtime.ts'

export class LogOptionsError extends Error {
  override name = 'LogOptionsError'
}

const bool = (v: string | null) => v !== null && v !== 'false' && v !== '0'

function nonNegative(q: URLSearchParams, name: string, min = 0): number | undefined {
  const v = q.get(name)
  if (v === null || v === '') return undefined
  const n = Number(v)
  if (!Number.isInteger(n) || n < min)
    throw new LogOptionsError(
      `${name}: Invalid value: ${JSON.stringify(v)}: must be ${min ? 'greater than 0' : 'a non-negative integer'}`,
    )
  return n
}

export function parseLogOptions(q: URLSearchParams, now = new Date()): LogOptions {
  const sinceSeconds = nonNegative(q, 'sinceSeconds', 1)
  const sinceTime = q.get('sinceTime')
  if (sinceSeconds !== undefined && sinceTime)
    throw new LogOptionsError('at most one of `sinceTime` or `sinceSeconds` may be specified')
  let since: Date | undefined
  if (sinceSeconds !== undefined) since = new Date(now.getTime() - sinceSeconds * 1000)
  if (sinceTime) {
    since = new Date(sinceTime)
    if (Number.isNaN(since.getTime()))
      throw new LogOptionsError(`sinceTime: Invalid value: "${sinceTime}": must be RFC3339`)
  }
  return {
    follow: bool(q.get('follow')),
    tailLines: nonNegative(q, 'tailLines'),
    since,
    timestamps: bool(q.get('timestamps')),
    previous: bool(q.get('previous')),
    limitBytes: nonNegative(q, 'limitBytes', 1),
  }
}

/** Passes at most `limit` bytes, then ends the stream (and cancels the source). */
export function limitBytes(src: ReadableStream<Uint8Array>, limit: number | undefined): ReadableStream<Uint8Array> {
  if (!limit) return src
  let left = limit
  const reader = src.getReader()
  return new ReadableStream<Uint8Array>({
    async pull(c) {
      const { value, done } = await reader.read()
      if (done) return c.close()
      const part = value.byteLength > left ? value.subarray(0, left) : value
      left -= part.byteLength
      c.enqueue(part)
      if (left <= 0) {
        c.close()
        await reader.cancel()
      }
    },
    cancel: (r) => reader.cancel(r),
  })
}
