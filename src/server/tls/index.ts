// TLS for the API server: the PKI under <dataDir>/server/tls and the HTTPS front that exposes
// client-certificate identities (Bun.serve cannot read peer certificates; node:tls can).
//
//   const { sans, ips } = hostSans({ tlsSan, advertiseAddress, nodeIp, serviceCidr })
//   const pki = await ensurePki({ dataDir, sans, ips })        // create on first start, reuse, renew
//   await writeAdminKubeconfig(pki, { path, mode, server: `https://127.0.0.1:${port}` })
//   const front = await startTlsFront({ host, port, pki, backend: { fetch(req, identity, server), websocket } })
//   const node = await issueClientCert(pki, { cn: 'system:node:NAME', orgs: ['system:nodes'] })
export { type CertKeyPem, createCa, issueLeaf } from './certs.ts'
export { startTlsFront, type TlsBackend, type TlsFront, type TlsFrontOptions } from './front.ts'
export { kubeconfigYaml, writeAdminKubeconfig } from './kubeconfig.ts'
export { peerIdentity } from './peer-identity.ts'
export {
  ensureEtcdCerts,
  ensureKubeletClientCert,
  ensurePki,
  issueClientCert,
  type Pki,
  type PkiOptions,
} from './pki.ts'
export { firstServiceIp, hostSans, servingNames } from './sans.ts'
