// Certificate and key generation with @peculiar/x509 over WebCrypto (ECDSA P-256, SHA-256); reading
// existing certificates (every start) with node:crypto's native X509Certificate.
// Pure of file I/O: pki.ts decides what to create and where it lives.
import { X509Certificate } from 'node:crypto'
import type * as X509 from '@peculiar/x509'
import { canonicalIp } from './sans.ts'

let x509Loaded: Promise<typeof X509> | undefined

/** @peculiar/x509, loaded on first use: it costs ~150 ms of start-up and only generation needs it. Its
 * tsyringe needs the Reflect metadata API first; both are CommonJS, which Bun evaluates while linking
 * static imports in no guaranteed order (tsyringe sometimes came first and the server failed to start),
 * so they are imported one after the other here. */
function loadX509(): Promise<typeof X509> {
  x509Loaded ??= (async () => {
    await import('reflect-metadata')
    const x509 = await import('@peculiar/x509')
    x509.cryptoProvider.set(crypto)
    return x509
  })()
  return x509Loaded
}

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const
const DAY_MS = 86_400_000
// Backdated like upstream's cert helpers so a peer whose clock is a little behind still accepts it.
const BACKDATE_MS = 3_600_000

/** A certificate and its private key, both PEM (PKCS#8 "PRIVATE KEY", which Go and OpenSSL both read). */
export interface CertKeyPem {
  certPem: string
  keyPem: string
}

export interface LeafOptions {
  cn: string
  orgs?: string[]
  days: number
  /** serverAuth with these SANs, or clientAuth when absent */
  server?: { dns: string[]; ips: string[] }
}

export async function generateKeyPair(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair
}

/** PEM armour as RFC 7468: base64 in lines of 64. */
function pem(der: ArrayBuffer, label: string): string {
  const b64 = Buffer.from(der).toString('base64')
  return `-----BEGIN ${label}-----\n${b64.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END ${label}-----\n`
}

export async function privateKeyPem(key: CryptoKey): Promise<string> {
  return pem(await crypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY')
}

export async function publicKeyPem(key: CryptoKey): Promise<string> {
  return pem(await crypto.subtle.exportKey('spki', key), 'PUBLIC KEY')
}

export async function importPrivateKey(pem: string): Promise<CryptoKey> {
  const b64 = /-----BEGIN [^-]+-----([^-]+)-----END/.exec(pem)?.[1] ?? ''
  return crypto.subtle.importKey('pkcs8', Buffer.from(b64.replace(/\s+/g, ''), 'base64'), alg, true, ['sign'])
}

/** X.500 name with the organizations first, as Go's pkix.Name renders `O=...,CN=...`. */
function distinguishedName(cn: string, orgs: string[] = []): string {
  const esc = (v: string) => v.replace(/([,+"\\<>;=])/g, '\\$1')
  return [`CN=${esc(cn)}`, ...orgs.map((o) => `O=${esc(o)}`)].join(', ')
}

function validity(days: number) {
  const now = Date.now()
  return { notBefore: new Date(now - BACKDATE_MS), notAfter: new Date(now + days * DAY_MS) }
}

export async function createCa(cn: string, days: number): Promise<CertKeyPem> {
  const x509 = await loadX509()
  const keys = await generateKeyPair()
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: distinguishedName(cn),
    keys,
    signingAlgorithm: alg,
    ...validity(days),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  })
  return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) }
}

/** Issues a leaf certificate signed by `ca`. */
export async function issueLeaf(ca: CertKeyPem, opts: LeafOptions): Promise<CertKeyPem> {
  const x509 = await loadX509()
  const caCert = new x509.X509Certificate(ca.certPem)
  const caKey = await importPrivateKey(ca.keyPem)
  const keys = await generateKeyPair()
  const usage = opts.server
    ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment
    : x509.KeyUsageFlags.digitalSignature
  const extensions: X509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(usage, true),
    new x509.ExtendedKeyUsageExtension([
      opts.server ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth,
    ]),
    await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
  ]
  if (opts.server) {
    const names = [
      ...opts.server.dns.map((value) => ({ type: 'dns' as const, value })),
      ...opts.server.ips.map((value) => ({ type: 'ip' as const, value })),
    ]
    extensions.push(new x509.SubjectAlternativeNameExtension(names))
  }
  const cert = await x509.X509CertificateGenerator.create({
    subject: distinguishedName(opts.cn, opts.orgs),
    issuer: caCert.subject,
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: alg,
    ...validity(opts.days),
    extensions,
  })
  return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) }
}

/** What pki.ts needs to know about an existing certificate to decide whether to keep it. */
export interface CertFacts {
  notAfter: Date
  dns: string[]
  ips: string[]
}

export function certFacts(certPem: string): CertFacts {
  const cert = new X509Certificate(certPem)
  // "DNS:localhost, IP Address:127.0.0.1, ..." (our SANs never hold the commas Node would quote)
  const names = (cert.subjectAltName ?? '').split(', ').filter(Boolean)
  const of = (prefix: string) => names.filter((n) => n.startsWith(prefix)).map((n) => n.slice(prefix.length))
  return { notAfter: cert.validToDate, dns: of('DNS:'), ips: of('IP Address:').map(canonicalIp) }
}

/** True when `certPem` carries a valid signature by `caPem`'s key (a renewed CA orphans old leaves). */
export async function signedBy(certPem: string, caPem: string): Promise<boolean> {
  return new X509Certificate(certPem).verify(new X509Certificate(caPem).publicKey)
}
