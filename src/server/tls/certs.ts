// Certificate and key generation with @peculiar/x509 over WebCrypto (ECDSA P-256, SHA-256).
// Pure of file I/O: pki.ts decides what to create and where it lives.
// @peculiar/x509 resolves its ASN.1 classes through tsyringe, which needs the Reflect metadata API
// loaded first. Both are CommonJS: Bun evaluates CommonJS imports while it links the module graph, in
// no guaranteed order (and `bun build` hoists them differently again), so tsyringe sometimes loaded
// first and the server failed to start. x509 is therefore loaded only once this module runs, after
// reflect-metadata.
import 'reflect-metadata'
import type * as X509 from '@peculiar/x509'

const x509: typeof X509 = await import('@peculiar/x509')

x509.cryptoProvider.set(crypto)

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

export async function privateKeyPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await crypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY')
}

export async function publicKeyPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await crypto.subtle.exportKey('spki', key), 'PUBLIC KEY')
}

export async function importPrivateKey(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decodeFirst(pem)
  return crypto.subtle.importKey('pkcs8', der, alg, true, ['sign'])
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
  const cert = new x509.X509Certificate(certPem)
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension)
  const names = san?.names.toJSON() ?? []
  return {
    notAfter: cert.notAfter,
    dns: names.filter((n) => n.type === 'dns').map((n) => n.value),
    ips: names.filter((n) => n.type === 'ip').map((n) => n.value),
  }
}

/** True when `certPem` carries a valid signature by `caPem`'s key (a renewed CA orphans old leaves). */
export async function signedBy(certPem: string, caPem: string): Promise<boolean> {
  const cert = new x509.X509Certificate(certPem)
  const ca = new x509.X509Certificate(caPem)
  return cert.verify({ publicKey: ca.publicKey, signatureOnly: true })
}
