// The Client over HTTPS, for remote agents and `kubun simulate`: same semantics as the in-process client,
// errors thrown as ApiError from the server's Status. Credentials come from a kubeconfig (the admin one or
// a node's) or directly as { server, ca, cert, key } / { server, ca, token }. Watches read the chunked
// body line by line.
import { readFileSync } from 'node:fs'
import { parse as parseYaml } from 'yaml'
import { ApiError } from '../../shared/errors.ts'
import type { KubeObject } from '../registry/types.ts'
import type {
  Client,
  DeleteOptions,
  ListOptions,
  PatchType,
  ResourceRef,
  WatchEvent,
  WatchHandle,
  WatchOptions,
  WriteOptions,
} from './types.ts'

export interface HttpCredentials {
  server: string
  /** PEM of the server CA; omit to use the system trust store */
  ca?: string
  cert?: string
  key?: string
  token?: string
  /** User-Agent, e.g. kubun-agent/v0.1.0 */
  userAgent?: string
}

const patchContentTypes: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
}

/** Credentials of the current context of a kubeconfig (file path or YAML text). */
export function credentialsFromKubeconfig(pathOrText: string): HttpCredentials {
  const text = pathOrText.includes('\n') ? pathOrText : readFileSync(pathOrText, 'utf8')
  const cfg = parseYaml(text) as any
  const ctxName = cfg['current-context'] ?? cfg.contexts?.[0]?.name
  const ctx = cfg.contexts?.find((c: any) => c.name === ctxName)?.context ?? cfg.contexts?.[0]?.context ?? {}
  const cluster = cfg.clusters?.find((c: any) => c.name === ctx.cluster)?.cluster ?? cfg.clusters?.[0]?.cluster
  const user = cfg.users?.find((u: any) => u.name === ctx.user)?.user ?? cfg.users?.[0]?.user ?? {}
  if (!cluster?.server) throw new Error('kubeconfig has no cluster server: expected clusters[].cluster.server')
  const b64 = (v?: string) => (v ? Buffer.from(v, 'base64').toString('utf8') : undefined)
  const file = (p?: string) => (p ? readFileSync(p, 'utf8') : undefined)
  return {
    server: cluster.server,
    ca: b64(cluster['certificate-authority-data']) ?? file(cluster['certificate-authority']),
    cert: b64(user['client-certificate-data']) ?? file(user['client-certificate']),
    key: b64(user['client-key-data']) ?? file(user['client-key']),
    token: user.token ?? file(user.tokenFile)?.trim(),
  }
}

export function basePath(ref: ResourceRef): string {
  const gv = ref.group ? `/apis/${ref.group}/${ref.version}` : `/api/${ref.version}`
  const ns = ref.namespace ? `/namespaces/${encodeURIComponent(ref.namespace)}` : ''
  return `${gv}${ns}/${ref.resource}`
}

function query(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v))
  const s = q.toString()
  return s ? `?${s}` : ''
}

const writeQuery = (o?: WriteOptions) => ({ dryRun: o?.dryRun ? 'All' : undefined, fieldManager: o?.fieldManager })

export class HttpClient implements Client {
  private readonly server: string
  private readonly headers: Record<string, string>
  private readonly tls: { ca?: string; cert?: string; key?: string }

  constructor(creds: HttpCredentials) {
    this.server = creds.server.replace(/\/+$/, '')
    this.headers = {
      accept: 'application/json',
      'user-agent': creds.userAgent ?? 'kubun',
      ...(creds.token ? { authorization: `Bearer ${creds.token}` } : {}),
    }
    this.tls = { ca: creds.ca, cert: creds.cert, key: creds.key }
  }

  /** A raw request against the server (JSON in, JSON out); throws ApiError on non-2xx. */
  async request<T = KubeObject>(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<T> {
    const res = await this.fetch(path, {
      method,
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': contentType } }),
    })
    const text = await res.text()
    if (!res.ok) throw errorFrom(res.status, text)
    return (text ? JSON.parse(text) : {}) as T
  }

  fetch(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.server}${path}`, {
      ...init,
      headers: { ...this.headers, ...(init.headers as Record<string, string> | undefined) },
      tls: { ...this.tls, rejectUnauthorized: true },
    } as RequestInit)
  }

  get<T = KubeObject>(ref: ResourceRef, name: string): Promise<T> {
    return this.request<T>('GET', `${basePath(ref)}/${encodeURIComponent(name)}`)
  }

  async list<T = KubeObject>(ref: ResourceRef, opts: ListOptions = {}) {
    const l = await this.request<any>('GET', `${basePath(ref)}${query({ ...opts })}`)
    return {
      items: (l.items ?? []) as T[],
      resourceVersion: l.metadata?.resourceVersion ?? '',
      ...(l.metadata?.continue ? { continue: l.metadata.continue } : {}),
    }
  }

  create<T = KubeObject>(ref: ResourceRef, obj: T, opts?: WriteOptions): Promise<T> {
    return this.request<T>('POST', `${basePath(ref)}${query(writeQuery(opts))}`, obj)
  }

  update<T = KubeObject>(ref: ResourceRef, obj: T, opts?: WriteOptions & { subresource?: string }): Promise<T> {
    const name = (obj as KubeObject).metadata?.name ?? ''
    const sub = opts?.subresource ? `/${opts.subresource}` : ''
    return this.request<T>('PUT', `${basePath(ref)}/${encodeURIComponent(name)}${sub}${query(writeQuery(opts))}`, obj)
  }

  patch<T = KubeObject>(
    ref: ResourceRef,
    name: string,
    type: PatchType,
    patch: unknown,
    opts?: WriteOptions & { subresource?: string; force?: boolean },
  ): Promise<T> {
    const sub = opts?.subresource ? `/${opts.subresource}` : ''
    const q = query({ ...writeQuery(opts), force: opts?.force ? 'true' : undefined })
    return this.request<T>(
      'PATCH',
      `${basePath(ref)}/${encodeURIComponent(name)}${sub}${q}`,
      patch,
      patchContentTypes[type],
    )
  }

  delete(ref: ResourceRef, name: string, opts: DeleteOptions = {}): Promise<KubeObject> {
    const { dryRun, fieldManager: _, ...rest } = opts
    const body = { kind: 'DeleteOptions', apiVersion: 'v1', ...rest, ...(dryRun ? { dryRun: ['All'] } : {}) }
    return this.request('DELETE', `${basePath(ref)}/${encodeURIComponent(name)}`, body)
  }

  createSubresource<T = KubeObject>(ref: ResourceRef, name: string, subresource: string, body: KubeObject): Promise<T> {
    return this.request<T>('POST', `${basePath(ref)}/${encodeURIComponent(name)}/${subresource}`, body)
  }

  watch<T = KubeObject>(ref: ResourceRef, opts: WatchOptions, onEvent: (e: WatchEvent<T>) => void): WatchHandle {
    const ac = new AbortController()
    const q = query({
      watch: 'true',
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
      resourceVersion: opts.resourceVersion,
      allowWatchBookmarks: opts.allowBookmarks ? 'true' : undefined,
      timeoutSeconds: opts.timeoutSeconds,
    })
    const done = (async () => {
      let res: Response
      try {
        // Bun's fetch fails a response idle for 5 minutes; a quiet watch is normal, so the idle limit
        // follows the watch's own timeout (the server closes it then).
        const idle = opts.timeoutSeconds ? (opts.timeoutSeconds + 30) * 1000 : false
        res = await this.fetch(`${basePath(ref)}${q}`, { signal: ac.signal, timeout: idle } as RequestInit)
      } catch (e) {
        if (ac.signal.aborted) return
        throw e
      }
      if (!res.ok) throw errorFrom(res.status, await res.text())
      const reader = res.body!.getReader()
      const decoder = new TextDecoder()
      let buf = ''
      try {
        for (;;) {
          const { done, value } = await reader.read()
          if (done) break
          buf += decoder.decode(value, { stream: true })
          let nl = buf.indexOf('\n')
          while (nl >= 0) {
            const line = buf.slice(0, nl).trim()
            buf = buf.slice(nl + 1)
            if (line && !ac.signal.aborted) {
              const e = JSON.parse(line) as WatchEvent<T>
              if (e.type === 'ERROR') throw ApiError.fromStatus(e.object as any)
              onEvent(e)
            }
            nl = buf.indexOf('\n')
          }
        }
      } catch (e) {
        if (ac.signal.aborted) return
        throw e
      } finally {
        reader.cancel().catch(() => {})
      }
    })()
    return { stop: () => ac.abort(), done }
  }
}

function errorFrom(code: number, text: string): ApiError {
  try {
    const s = JSON.parse(text)
    if (s?.kind === 'Status') return ApiError.fromStatus({ ...s, code: s.code ?? code })
  } catch {}
  return new ApiError(code, 'Unknown', text.trim() || `the server answered HTTP ${code}`)
}

export function httpClient(creds: HttpCredentials | string): HttpClient {
  return new HttpClient(typeof creds === 'string' ? credentialsFromKubeconfig(creds) : creds)
}
