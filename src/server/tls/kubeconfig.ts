// The admin kubeconfig, shaped like k3s's /etc/rancher/k3s/k3s.yaml: cluster, user and context all
// named "default", the server CA inline, the admin client certificate and key inline.
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { stringify } from 'yaml'
import type { CertKeyPem } from './certs.ts'
import type { Pki } from './pki.ts'

const b64 = (s: string) => Buffer.from(s).toString('base64')

export function kubeconfigYaml(opts: { server: string; caPem: string; client: CertKeyPem }): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'default', cluster: { server: opts.server, 'certificate-authority-data': b64(opts.caPem) } }],
    users: [
      {
        name: 'default',
        user: {
          'client-certificate-data': b64(opts.client.certPem),
          'client-key-data': b64(opts.client.keyPem),
        },
      },
    ],
    contexts: [{ name: 'default', context: { cluster: 'default', user: 'default' } }],
    'current-context': 'default',
    preferences: {},
  })
}

/** Writes the admin kubeconfig (it holds a system:masters key: mode defaults to 0600). */
export async function writeAdminKubeconfig(
  pki: Pki,
  opts: { path: string; server: string; mode?: number },
): Promise<void> {
  const mode = opts.mode ?? 0o600
  await mkdir(dirname(opts.path), { recursive: true })
  const tmp = `${opts.path}.tmp-${process.pid}`
  await writeFile(tmp, kubeconfigYaml({ server: opts.server, caPem: pki.serverCa.certPem, client: pki.admin }), {
    mode,
  })
  // writeFile's mode is filtered by the umask; the user asked for exactly this mode.
  await chmod(tmp, mode)
  await rename(tmp, opts.path)
}
