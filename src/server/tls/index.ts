// TLS for the API server: the PKI under <dataDir>/server/tls and the HTTPS front that exposes
// client-certificate identities (Bun.serve cannot read peer certificates; node:tls can).
//
// Exports (being implemented; signatures are the contract):
//   ensurePki({ dataDir, sans, ips }): Promise<Pki>
//       Creates on first start, reuses later: server-ca.{crt,key}, client-ca.{crt,key}, serving.{crt,key}
//       (SANs: loopback, kubernetes.default.svc..., hostname, node IPs, first service IP, --tls-san),
//       admin.{crt,key} (CN=system:admin, O=system:masters), sa.{key,pub}. Renews leaves expiring within
//       90 days; regenerates the serving cert when its SANs change. Keys are written 0600.
//   issueClientCert(pki, { cn, orgs, days }): Promise<{ certPem, keyPem }>   signed by the client CA
//   writeAdminKubeconfig(pki, { path, mode?, server }): Promise<void>         mode defaults to 0o600
//   startTlsFront({ host, port, pki, backend }): Promise<TlsFront>
//       backend: { fetch(req, identity: PeerIdentity, server), websocket? } (Bun.serve-style);
//       TlsFront: { port, stop(): Promise<void> }
