// The API server side of pods/log with a fake kubelet over real TLS: the query reaches the kubelet's
// containerLogs path, the kubelet's serving certificate is verified (server CA and IP), and an
// unreachable or untrusted kubelet is a 503 that names the node.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { ApiError, notFound } from '../../../shared/errors.ts'
import { type CertKeyPem, createCa, issueLeaf } from '../../tls/certs.ts'
import { startTlsFront, type TlsFront } from '../../tls/front.ts'
import { podStreaming } from './pod-proxy.ts'

const pod = {
  metadata: { name: 'web', namespace: 'default' },
  spec: { nodeName: 'n1', containers: [{ name: 'app' }] },
  status: { phase: 'Running', containerStatuses: [{ name: 'app', state: { running: {} } }] },
}

describe('pods/log through the kubelet', () => {
  let serverCa: CertKeyPem
  let kubeletClient: CertKeyPem
  let clientCa: CertKeyPem
  let kubelet: TlsFront
  const seen: { path: string; user?: string }[] = []
  beforeAll(async () => {
    serverCa = await createCa('server-ca', 1)
    clientCa = await createCa('client-ca', 1)
    kubeletClient = await issueLeaf(clientCa, {
      cn: 'kube-apiserver-kubelet-client',
      orgs: ['system:masters'],
      days: 1,
    })
    const serving = await issueLeaf(serverCa, { cn: 'n1', days: 1, server: { dns: [], ips: ['127.0.0.1'] } })
    kubelet = await startTlsFront({
      host: '127.0.0.1',
      port: 0,
      pki: { serving, clientCa },
      backend: {
        fetch(req, id) {
          const u = new URL(req.url)
          seen.push({ path: u.pathname + u.search, user: id.user?.name })
          return new Response('line1\nline2\n')
        },
      },
    })
  })
  afterAll(() => kubelet?.stop())

  const nodeAt = (port: number) => ({
    metadata: { name: 'n1' },
    status: {
      addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
      daemonEndpoints: { kubeletEndpoint: { Port: port } },
    },
  })
  const call = (query: string) => ({
    req: new Request(`https://api/api/v1/namespaces/default/pods/web/log?${query}`),
    info: { resourceRequest: true, path: '', verb: 'get', namespace: 'default', name: 'web', subresource: 'log' },
    def: {} as any,
    store: {
      get: async (_ns: string, name: string) => {
        if (name !== 'web') throw notFound('pods', '', name)
        return pod
      },
    } as any,
    ctx: { user: { name: 'admin', groups: [] }, warnings: [] },
  })

  async function failure(p: Promise<unknown>): Promise<string> {
    const e = await p.then(
      () => undefined,
      (x) => x,
    )
    expect(e).toBeInstanceOf(ApiError)
    return `${(e as ApiError).code} ${(e as Error).message}`
  }

  test('streams the kubelet answer for the pod container, as the kubelet-client user', async () => {
    const pods = podStreaming({ getNode: () => nodeAt(kubelet.port), kubeletClient, serverCaPem: serverCa.certPem })
    const res = await pods.handlers['pods/log'](call('container=app&tailLines=1&follow=true') as any)
    expect(await res!.text()).toBe('line1\nline2\n')
    expect(seen.at(-1)).toEqual({
      path: '/containerLogs/default/web/app?follow=true&tailLines=1',
      user: 'kube-apiserver-kubelet-client',
    })
  })

  test('a kubelet whose certificate another CA signed is not trusted', async () => {
    const other = await createCa('other', 1)
    const pods = podStreaming({ getNode: () => nodeAt(kubelet.port), kubeletClient, serverCaPem: other.certPem })
    expect(await failure(Promise.resolve(pods.handlers['pods/log'](call('') as any)))).toStartWith(
      `503 error dialing backend: cannot reach the kubelet of node "n1" at https://127.0.0.1:${kubelet.port}`,
    )
  })

  test('no kubelet listening, no node, unknown pod', async () => {
    const closed = podStreaming({ getNode: () => nodeAt(1), kubeletClient, serverCaPem: serverCa.certPem })
    expect(await failure(Promise.resolve(closed.handlers['pods/log'](call('') as any)))).toContain(
      'cannot reach the kubelet of node "n1" at https://127.0.0.1:1',
    )
    const none = podStreaming({ getNode: () => undefined, kubeletClient, serverCaPem: serverCa.certPem })
    expect(await failure(Promise.resolve(none.handlers['pods/log'](call('') as any)))).toBe(
      '503 node "n1" of pod web is not registered',
    )
    const c = call('')
    c.info.name = 'nope'
    expect(await failure(Promise.resolve(none.handlers['pods/log'](c as any)))).toBe('404 pods "nope" not found')
  })
})
