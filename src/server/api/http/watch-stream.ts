// A watch as a chunked HTTP body: one `{"type":...,"object":...}` JSON document per line, objects shaped
// as asked (a one-row Table per event for `kubectl get -w`). The stream ends at timeoutSeconds (reflectors
// then re-watch), when the client goes away, or after an in-stream ERROR (410 Expired makes reflectors re-list).
import type { WatchEvent, WatchHandle, WatchOptions } from '../../client/types.ts'
import type { KubeObject, ResourceDef } from '../../registry/types.ts'
import type { ResourceStore } from '../store/types.ts'
import type { Wanted } from './negotiate.ts'
import { toApiError } from './respond.ts'
import { shapeObject } from './shape.ts'
import type { TableOptions, TableRenderer } from './types.ts'

/** Upstream picks a random timeout in [minRequestTimeout, 2*minRequestTimeout) = [30m, 60m). */
const defaultTimeoutSeconds = () => 1800 + Math.floor(Math.random() * 1800)

const encoder = new TextEncoder()
const QUEUED_LIMIT = 256
const NEWLINE = encoder.encode('\n')

function concat(chunks: Uint8Array[]): Uint8Array {
  let size = 0
  for (const c of chunks) size += c.byteLength
  const out = new Uint8Array(size)
  let off = 0
  for (const c of chunks) {
    out.set(c, off)
    off += c.byteLength
  }
  return out
}

/** The watch cache hands the same event object to every watcher: encode its line once for all of them. */
const encoded = new WeakMap<object, Uint8Array>()
function sharedBytes(e: WatchEvent): Uint8Array {
  let b = encoded.get(e)
  if (!b) {
    b = encoder.encode(`${(e as unknown as { json(): string }).json()}\n`)
    encoded.set(e, b)
  }
  return b
}

export interface WatchStreamInput {
  def: ResourceDef
  store: ResourceStore
  namespace: string | undefined
  opts: WatchOptions
  wanted: Wanted
  render: TableRenderer
  table: TableOptions
  signal?: AbortSignal
}

export function watchResponse(input: WatchStreamInput): Response {
  const { def, store, namespace, opts, wanted, render, table, signal } = input
  const timeoutSeconds = opts.timeoutSeconds ?? defaultTimeoutSeconds()
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined
  const pending: Uint8Array[] = []
  let timer: ReturnType<typeof setTimeout> | undefined
  let closed = false
  let headersSent = false
  // Backpressure: while the client has more than QUEUED_LIMIT chunks unread, onEvent returns a promise
  // that settles when it reads again; the watch cache closes a watcher that falls too far behind.
  const drained: (() => void)[] = []
  const release = () => {
    for (const r of drained.splice(0)) r()
  }

  const close = () => {
    if (closed) return
    closed = true
    if (timer) clearTimeout(timer)
    release()
    handle.stop()
    signal?.removeEventListener('abort', close)
    const rest = batch
    batch = []
    try {
      if (controller && rest.length) controller.enqueue(concat(rest))
      controller?.close()
    } catch {}
  }
  const send = (e: { type: string; object: unknown }) => sendLine(JSON.stringify(e))
  const sendLine = (line: string) => sendBytes(encoder.encode(`${line}\n`))
  // Events delivered in one go (a datastore batch) leave as one chunk: each chunk costs a write through
  // the TLS front, which dominates with many watchers.
  let batch: Uint8Array[] = []
  const flush = () => {
    const chunks = batch
    batch = []
    if (closed || !controller || !chunks.length) return
    try {
      controller.enqueue(chunks.length === 1 ? chunks[0] : concat(chunks))
    } catch {
      close()
    }
  }
  const sendBytes = (chunk: Uint8Array) => {
    if (closed) return
    if (!controller) return void pending.push(chunk)
    if (batch.push(chunk) === 1) queueMicrotask(flush)
  }
  const onEvent = (e: WatchEvent): void | Promise<void> => {
    deliver(e)
    const backlog = controller?.desiredSize
    if (!closed && backlog != null && backlog < -QUEUED_LIMIT) return new Promise<void>((r) => drained.push(r))
  }
  const deliver = (e: WatchEvent) => {
    if (e.type === 'ERROR') {
      send(e)
      return queueMicrotask(close)
    }
    if (e.type === 'BOOKMARK') return send(e)
    // The watch cache serializes each event once for every plain-JSON watcher.
    if (wanted.as === 'json' && (e as { json?: () => string }).json) return sendBytes(sharedBytes(e))
    const object = shapeObject(def, e.object as KubeObject, wanted, render, { ...table, noHeaders: headersSent })
    if (wanted.as === 'Table') headersSent = true
    send({ type: e.type, object })
  }
  // A resourceVersion older than the watch cache's window is an in-stream ERROR 410 (upstream's cacher
  // answers with an error watcher; reflectors then re-list). Other failures (a bad selector) stay HTTP errors.
  let handle: WatchHandle
  try {
    handle = store.watch(namespace, { ...opts, timeoutSeconds }, onEvent)
  } catch (err) {
    const e = toApiError(err)
    if (e.code !== 410) throw err
    return new Response(`${JSON.stringify({ type: 'ERROR', object: e.status })}\n`, {
      status: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-cache, private' },
    })
  }
  signal?.addEventListener('abort', close)
  timer = setTimeout(close, timeoutSeconds * 1000)
  handle.done.then(close, (err) => {
    send({ type: 'ERROR', object: toApiError(err).status })
    close()
  })

  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c
      // Bun sends the response headers only with the first non-empty chunk, and clients (client-node's
      // Watch, kubectl's reflectors) wait for them before anything else: open with a bare newline, which
      // JSON stream decoders skip as whitespace.
      c.enqueue(NEWLINE)
      for (const chunk of pending.splice(0)) c.enqueue(chunk)
      if (closed) c.close()
    },
    pull() {
      release()
    },
    cancel() {
      close()
    },
  })
  return new Response(stream, {
    status: 200,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-cache, private' },
  })
}
