// `kubun kubectl ...`: runs the kubectl on PATH with the admin kubeconfig, as `k3s kubectl` does.
// KUBECONFIG or an explicit --kubeconfig wins; otherwise the default admin kubeconfig path is used.
import { existsSync } from 'node:fs'

export const DEFAULT_ADMIN_KUBECONFIG = '/etc/kubun/kubun.yaml'

export function kubectlEnv(
  args: string[],
  env: Record<string, string | undefined>,
): Record<string, string | undefined> {
  const explicit = args.some((a) => a === '--kubeconfig' || a.startsWith('--kubeconfig='))
  if (explicit || env.KUBECONFIG) return env
  return { ...env, KUBECONFIG: DEFAULT_ADMIN_KUBECONFIG }
}

/** Runs kubectl with stdio inherited; resolves to its exit code. */
export async function runKubectl(args: string[]): Promise<number> {
  const kubectl = Bun.which('kubectl')
  if (!kubectl) {
    process.stderr.write('kubun: kubectl was not found on PATH; install it or put it on PATH\n')
    return 1
  }
  const env = kubectlEnv(args, process.env)
  if (env.KUBECONFIG === DEFAULT_ADMIN_KUBECONFIG && !existsSync(DEFAULT_ADMIN_KUBECONFIG)) {
    process.stderr.write(
      `kubun: ${DEFAULT_ADMIN_KUBECONFIG} does not exist; start kubun server first, or pass --kubeconfig / set KUBECONFIG\n`,
    )
  }
  const proc = Bun.spawn([kubectl, ...args], { env, stdin: 'inherit', stdout: 'inherit', stderr: 'inherit' })
  return await proc.exited
}
