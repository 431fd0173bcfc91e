// The API server's PKI under <dataDir>/server/tls, created on first start and reused after, as k3s does:
// separate server and client CAs (the kubeconfig pins the server CA; client certificates are checked
// against the client CA only), a serving certificate, the admin client certificate and the
// ServiceAccount token signing key pair. Leaves expiring within 90 days are renewed at start; the
// serving certificate is reissued when the wanted SANs change.
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { logger } from '../../shared/log.ts'
import { SYSTEM_MASTERS } from '../auth/users.ts'
import {
  type CertKeyPem,
  certFacts,
  createCa,
  generateKeyPair,
  issueLeaf,
  privateKeyPem,
  publicKeyPem,
  signedBy,
} from './certs.ts'
import { canonicalIp, servingNames } from './sans.ts'

const log = logger('tls')

export const CA_DAYS = 3650
export const LEAF_DAYS = 365
export const RENEW_WITHIN_DAYS = 90

export interface Pki {
  dir: string
  serverCa: CertKeyPem
  clientCa: CertKeyPem
  serving: CertKeyPem
  admin: CertKeyPem
  /** ServiceAccount token signing key (PKCS#8 PEM) and its public half (SPKI PEM) */
  serviceAccount: { keyPem: string; pubPem: string }
}

export interface PkiOptions {
  dataDir: string
  /** extra DNS names and IPs for the serving certificate (loopback and kubernetes.default.* are always added) */
  sans: string[]
  ips: string[]
  /** for tests: "now" when judging expiry */
  now?: Date
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (e: any) {
    if (e?.code === 'ENOENT') return undefined
    throw e
  }
}

/** Writes atomically (temp + rename) so a crash never leaves half a key; keys get 0600. */
async function writeAtomic(path: string, data: string, mode: number): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`
  await writeFile(tmp, data, { mode })
  await chmod(tmp, mode)
  await rename(tmp, path)
}

async function loadPair(dir: string, name: string): Promise<CertKeyPem | undefined> {
  const [certPem, keyPem] = await Promise.all([
    readIfExists(join(dir, `${name}.crt`)),
    readIfExists(join(dir, `${name}.key`)),
  ])
  return certPem && keyPem ? { certPem, keyPem } : undefined
}

async function savePair(dir: string, name: string, pair: CertKeyPem): Promise<void> {
  await writeAtomic(join(dir, `${name}.key`), pair.keyPem, 0o600)
  await writeAtomic(join(dir, `${name}.crt`), pair.certPem, 0o644)
}

function expiresSoon(certPem: string, now: Date): boolean {
  return certFacts(certPem).notAfter.getTime() - now.getTime() < RENEW_WITHIN_DAYS * 86_400_000
}

function sameNames(certPem: string, dns: string[], ips: string[]): boolean {
  const f = certFacts(certPem)
  const key = (d: string[], i: string[]) =>
    JSON.stringify([[...new Set(d.map((s) => s.toLowerCase()))].sort(), [...new Set(i.map(canonicalIp))].sort()])
  return key(f.dns, f.ips) === key(dns, ips)
}

/** A renewed CA orphans its leaves; ensureLeaf notices (signedBy) and reissues them. */
async function ensureCa(dir: string, name: string, cn: string, now: Date): Promise<CertKeyPem> {
  const existing = await loadPair(dir, name)
  if (existing && !expiresSoon(existing.certPem, now)) return existing
  log.info(existing ? 'renewing CA expiring soon' : 'creating CA', { name })
  const pair = await createCa(cn, CA_DAYS)
  await savePair(dir, name, pair)
  return pair
}

/** Keeps an existing leaf unless it expires soon, its CA changed, or `stillFits` says it no longer fits. */
async function ensureLeaf(
  dir: string,
  name: string,
  ca: CertKeyPem,
  now: Date,
  make: () => Promise<CertKeyPem>,
  stillFits: (certPem: string) => boolean = () => true,
): Promise<CertKeyPem> {
  const existing = await loadPair(dir, name)
  if (
    existing &&
    !expiresSoon(existing.certPem, now) &&
    stillFits(existing.certPem) &&
    (await signedBy(existing.certPem, ca.certPem))
  ) {
    return existing
  }
  log.info(existing ? 'reissuing certificate' : 'creating certificate', { name })
  const pair = await make()
  await savePair(dir, name, pair)
  return pair
}

async function ensureServiceAccountKey(dir: string): Promise<Pki['serviceAccount']> {
  const keyPath = join(dir, 'sa.key')
  const pubPath = join(dir, 'sa.pub')
  const [keyPem, pubPem] = await Promise.all([readIfExists(keyPath), readIfExists(pubPath)])
  if (keyPem && pubPem) return { keyPem, pubPem }
  // Never rotated here: every ServiceAccount token ever issued is signed with it.
  const keys = await generateKeyPair()
  const sa = { keyPem: await privateKeyPem(keys.privateKey), pubPem: await publicKeyPem(keys.publicKey) }
  await writeAtomic(keyPath, sa.keyPem, 0o600)
  await writeAtomic(pubPath, sa.pubPem, 0o644)
  return sa
}

export async function ensurePki(opts: PkiOptions): Promise<Pki> {
  const now = opts.now ?? new Date()
  const dir = join(opts.dataDir, 'server', 'tls')
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const serverCa = await ensureCa(dir, 'server-ca', `kubun-server-ca@${Math.floor(now.getTime() / 1000)}`, now)
  const clientCa = await ensureCa(dir, 'client-ca', `kubun-client-ca@${Math.floor(now.getTime() / 1000)}`, now)
  const names = servingNames(opts.sans, opts.ips)
  const serving = await ensureLeaf(
    dir,
    'serving',
    serverCa,
    now,
    () => issueLeaf(serverCa, { cn: 'kube-apiserver', days: LEAF_DAYS, server: names }),
    (pem) => sameNames(pem, names.dns, names.ips),
  )
  const admin = await ensureLeaf(dir, 'admin', clientCa, now, () =>
    issueLeaf(clientCa, { cn: 'system:admin', orgs: [SYSTEM_MASTERS], days: LEAF_DAYS }),
  )
  const serviceAccount = await ensureServiceAccountKey(dir)
  return { dir, serverCa, clientCa, serving, admin, serviceAccount }
}

/** A client certificate signed by the client CA: CN becomes the user name, each O a group. */
export function issueClientCert(pki: Pki, opts: { cn: string; orgs?: string[]; days?: number }): Promise<CertKeyPem> {
  return issueLeaf(pki.clientCa, { cn: opts.cn, orgs: opts.orgs ?? [], days: opts.days ?? LEAF_DAYS })
}

/** The API server's client certificate for kubelets (logs/exec/attach/port-forward), kept on disk as
 * upstream's apiserver-kubelet-client.crt: issuing it anew costs every start ~150 ms (loading the
 * certificate library and signing). Reissued as the other leaves: expiring soon, or the client CA changed. */
export function ensureKubeletClientCert(pki: Pki, now = new Date()): Promise<CertKeyPem> {
  return ensureLeaf(pki.dir, 'apiserver-kubelet-client', pki.clientCa, now, () =>
    issueClientCert(pki, { cn: 'kube-apiserver-kubelet-client', orgs: [SYSTEM_MASTERS] }),
  )
}

/** The etcd API's TLS material for a non-loopback --etcd-listen, kept as etcd-server.* and etcd-client.*:
 * a serving certificate from the server CA for `names` (reissued when they change) and a client
 * certificate from the client CA for the admin's etcdctl (system:masters, as upstream's etcd client). */
export async function ensureEtcdCerts(
  pki: Pki,
  names: { dns: string[]; ips: string[] },
  now = new Date(),
): Promise<{ serving: CertKeyPem; client: CertKeyPem }> {
  const serving = await ensureLeaf(
    pki.dir,
    'etcd-server',
    pki.serverCa,
    now,
    () => issueLeaf(pki.serverCa, { cn: 'kubun-etcd', days: LEAF_DAYS, server: names }),
    (pem) => sameNames(pem, names.dns, names.ips),
  )
  const client = await ensureLeaf(pki.dir, 'etcd-client', pki.clientCa, now, () =>
    issueClientCert(pki, { cn: 'kubun-etcd-client', orgs: [SYSTEM_MASTERS] }),
  )
  return { serving, client }
}
