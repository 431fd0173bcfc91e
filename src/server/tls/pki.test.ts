import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as x509 from '@peculiar/x509'
import { parse } from 'yaml'
import { certFacts, signedBy } from './certs.ts'
import { writeAdminKubeconfig } from './kubeconfig.ts'
import { ensureEtcdCerts, ensureKubeletClientCert, ensurePki, issueClientCert, type Pki } from './pki.ts'

let dir: string
let first: Pki
const DAY = 86_400_000

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubun-pki-'))
  first = await ensurePki({ dataDir: dir, sans: ['api.example.com', '192.0.2.9'], ips: ['10.43.0.1'] })
})
afterAll(() => rm(dir, { recursive: true, force: true }))

const subject = (pem: string) => new x509.X509Certificate(pem).subject

describe('ensurePki', () => {
  test('creates CAs, serving, admin and service-account keys under server/tls with private keys 0600', async () => {
    const tls = join(dir, 'server', 'tls')
    for (const f of ['server-ca.key', 'client-ca.key', 'serving.key', 'admin.key', 'sa.key']) {
      expect((await stat(join(tls, f))).mode & 0o777).toBe(0o600)
    }
    for (const f of ['server-ca.crt', 'client-ca.crt', 'serving.crt', 'admin.crt', 'sa.pub']) {
      expect((await readFile(join(tls, f), 'utf8')).startsWith('-----BEGIN')).toBe(true)
    }
  })

  test('the serving certificate names loopback, the kubernetes service, and the extra SANs', () => {
    const f = certFacts(first.serving.certPem)
    expect(f.dns).toEqual(
      expect.arrayContaining([
        'localhost',
        'kubernetes',
        'kubernetes.default',
        'kubernetes.default.svc',
        'kubernetes.default.svc.cluster.local',
        'api.example.com',
      ]),
    )
    expect(f.ips).toEqual(expect.arrayContaining(['127.0.0.1', '::1', '10.43.0.1', '192.0.2.9']))
  })

  test('the admin certificate is CN=system:admin O=system:masters, signed by the client CA only', async () => {
    expect(subject(first.admin.certPem)).toBe('CN=system:admin, O=system:masters')
    expect(await signedBy(first.admin.certPem, first.clientCa.certPem)).toBe(true)
    expect(await signedBy(first.admin.certPem, first.serverCa.certPem)).toBe(false)
    expect(await signedBy(first.serving.certPem, first.serverCa.certPem)).toBe(true)
  })

  test('CAs last ten years, leaves one year', () => {
    const years = (pem: string) => (certFacts(pem).notAfter.getTime() - Date.now()) / (365 * DAY)
    expect(years(first.serverCa.certPem)).toBeGreaterThan(9.9)
    expect(years(first.clientCa.certPem)).toBeGreaterThan(9.9)
    expect(years(first.serving.certPem)).toBeCloseTo(1, 1)
    expect(years(first.admin.certPem)).toBeCloseTo(1, 1)
  })

  test('a second start reuses everything', async () => {
    const again = await ensurePki({ dataDir: dir, sans: ['api.example.com', '192.0.2.9'], ips: ['10.43.0.1'] })
    expect(again).toEqual(first)
  })

  test('changed SANs reissue only the serving certificate', async () => {
    const again = await ensurePki({ dataDir: dir, sans: ['other.example.com'], ips: ['10.43.0.1'] })
    expect(again.serving.certPem).not.toBe(first.serving.certPem)
    expect(certFacts(again.serving.certPem).dns).toContain('other.example.com')
    expect(certFacts(again.serving.certPem).dns).not.toContain('api.example.com')
    expect(again.serverCa).toEqual(first.serverCa)
    expect(again.admin).toEqual(first.admin)
    expect(again.serviceAccount).toEqual(first.serviceAccount)
  })

  test('leaves expiring within 90 days are renewed, CAs and the SA key kept', async () => {
    const later = new Date(Date.now() + 300 * DAY)
    const before = await ensurePki({ dataDir: dir, sans: ['other.example.com'], ips: ['10.43.0.1'] })
    const renewed = await ensurePki({ dataDir: dir, sans: ['other.example.com'], ips: ['10.43.0.1'], now: later })
    expect(renewed.admin.certPem).not.toBe(before.admin.certPem)
    expect(renewed.serving.certPem).not.toBe(before.serving.certPem)
    expect(renewed.serverCa).toEqual(before.serverCa)
    expect(renewed.clientCa).toEqual(before.clientCa)
    expect(renewed.serviceAccount).toEqual(before.serviceAccount)
  })

  test('a CA expiring within 90 days is renewed and its leaves reissued under it', async () => {
    const d = await mkdtemp(join(tmpdir(), 'kubun-pki-ca-'))
    try {
      const a = await ensurePki({ dataDir: d, sans: [], ips: [] })
      const b = await ensurePki({ dataDir: d, sans: [], ips: [], now: new Date(Date.now() + 3600 * DAY) })
      expect(b.clientCa.certPem).not.toBe(a.clientCa.certPem)
      expect(await signedBy(b.admin.certPem, b.clientCa.certPem)).toBe(true)
      expect(await signedBy(b.serving.certPem, b.serverCa.certPem)).toBe(true)
    } finally {
      await rm(d, { recursive: true, force: true })
    }
  })
})

describe('issueClientCert', () => {
  test('issues node certificates under the client CA', async () => {
    const node = await issueClientCert(first, { cn: 'system:node:pi-1', orgs: ['system:nodes'], days: 30 })
    expect(subject(node.certPem)).toBe('CN=system:node:pi-1, O=system:nodes')
    expect(await signedBy(node.certPem, first.clientCa.certPem)).toBe(true)
    const days = (certFacts(node.certPem).notAfter.getTime() - Date.now()) / DAY
    expect(Math.round(days)).toBe(30)
  })
})

describe('ensureKubeletClientCert', () => {
  test('is the apiserver-kubelet-client identity, kept across starts, reissued under a new client CA', async () => {
    const d = await mkdtemp(join(tmpdir(), 'kubun-pki-kubelet-'))
    try {
      const pki = await ensurePki({ dataDir: d, sans: [], ips: [] })
      const cert = await ensureKubeletClientCert(pki)
      expect(subject(cert.certPem)).toBe('CN=kube-apiserver-kubelet-client, O=system:masters')
      expect(await signedBy(cert.certPem, pki.clientCa.certPem)).toBe(true)
      expect(await readFile(join(pki.dir, 'apiserver-kubelet-client.crt'), 'utf8')).toBe(cert.certPem)
      expect((await ensureKubeletClientCert(pki)).certPem).toBe(cert.certPem)
      await rm(join(pki.dir, 'client-ca.crt'))
      const renewed = await ensurePki({ dataDir: d, sans: [], ips: [] })
      const again = await ensureKubeletClientCert(renewed)
      expect(again.certPem).not.toBe(cert.certPem)
      expect(await signedBy(again.certPem, renewed.clientCa.certPem)).toBe(true)
    } finally {
      await rm(d, { recursive: true, force: true })
    }
  })
})

describe('writeAdminKubeconfig', () => {
  test('writes cluster, user and context "default" with inline data, creating the directory, mode 0600', async () => {
    const path = join(dir, 'etc', 'kubun', 'kubun.yaml')
    await writeAdminKubeconfig(first, { path, server: 'https://127.0.0.1:6443' })
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    const kc = parse(await readFile(path, 'utf8'))
    expect(kc['current-context']).toBe('default')
    expect(kc.contexts[0]).toEqual({ name: 'default', context: { cluster: 'default', user: 'default' } })
    expect(kc.clusters[0].name).toBe('default')
    expect(kc.clusters[0].cluster.server).toBe('https://127.0.0.1:6443')
    const b64 = (s: string) => Buffer.from(s, 'base64').toString()
    expect(b64(kc.clusters[0].cluster['certificate-authority-data'])).toBe(first.serverCa.certPem)
    expect(b64(kc.users[0].user['client-certificate-data'])).toBe(first.admin.certPem)
    expect(b64(kc.users[0].user['client-key-data'])).toBe(first.admin.keyPem)
  })

  test('honours the requested mode', async () => {
    const path = join(dir, 'kc-644.yaml')
    await writeAdminKubeconfig(first, { path, server: 'https://127.0.0.1:6443', mode: 0o644 })
    expect((await stat(path)).mode & 0o777).toBe(0o644)
  })
})

describe('ensureEtcdCerts', () => {
  test('serving cert from the server CA names the listen address; client cert from the client CA is a master', async () => {
    const { serving, client } = await ensureEtcdCerts(first, { dns: [], ips: ['192.0.2.7'] })
    expect(certFacts(serving.certPem).ips).toEqual(['192.0.2.7'])
    expect(await signedBy(serving.certPem, first.serverCa.certPem)).toBe(true)
    expect(await signedBy(client.certPem, first.clientCa.certPem)).toBe(true)
    expect(subject(client.certPem)).toContain('CN=kubun-etcd-client')
    expect(subject(client.certPem)).toContain('O=system:masters')
    expect(await readFile(join(first.dir, 'etcd-client.crt'), 'utf8')).toBe(client.certPem)
  })

  test('kept while the address stays, reissued when it changes', async () => {
    const a = await ensureEtcdCerts(first, { dns: [], ips: ['192.0.2.7'] })
    const same = await ensureEtcdCerts(first, { dns: [], ips: ['192.0.2.7'] })
    expect(same.serving.certPem).toBe(a.serving.certPem)
    expect(same.client.certPem).toBe(a.client.certPem)
    const moved = await ensureEtcdCerts(first, { dns: [], ips: ['192.0.2.8'] })
    expect(certFacts(moved.serving.certPem).ips).toEqual(['192.0.2.8'])
    expect(moved.client.certPem).toBe(a.client.certPem)
  })
})
