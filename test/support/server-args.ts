import { join } from 'node:path'

/** The control plane that tests and benches start: loopback only, a free port, a private kubeconfig and data
 * dir under `dir`, no agent (so it never takes :6443, /etc/kubun or the host-wide agent lock). */
export function controlPlaneArgs(dir: string, port: number, kubeconfig: string, extra: string[] = []): string[] {
  return [
    'src/main.ts',
    'server',
    '--data-dir',
    join(dir, 'data'),
    '--https-listen-port',
    String(port),
    '--bind-address',
    '127.0.0.1',
    '--write-kubeconfig',
    kubeconfig,
    '--disable-agent',
    ...extra,
  ]
}
