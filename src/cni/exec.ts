// The one place the network code runs host tools (ip, nft, iptables, sysctl). `netns` (a path such as
// /run/netns/NAME) runs them inside that network namespace through `nsenter --net`, which is how tests
// keep the host untouched and how several simulated nodes share one machine.

export class CommandError extends Error {
  override name = 'CommandError'
  constructor(
    readonly argv: string[],
    readonly code: number,
    readonly stderr: string,
  ) {
    super(`${argv.join(' ')} failed (exit ${code}): ${stderr.trim() || 'no output'}`)
  }
}

export interface RunResult {
  code: number
  stdout: string
  stderr: string
}

export interface Host {
  /** Runs argv; throws CommandError on a non-zero exit unless `allowFail`. */
  run(argv: string[], opts?: { stdin?: string; allowFail?: boolean }): Promise<RunResult>
  /** The namespace path commands run in, undefined for the caller's own. */
  readonly netns?: string
}

export function host(netns?: string): Host {
  return {
    netns,
    async run(argv, opts = {}) {
      const full = netns ? ['nsenter', `--net=${netns}`, '--', ...argv] : argv
      let p: ReturnType<typeof spawn>
      try {
        p = spawn(full, opts.stdin)
      } catch (e) {
        // A missing executable: the same outcome as a shell's exit 127.
        if (opts.allowFail) return { code: 127, stdout: '', stderr: (e as Error).message }
        throw new CommandError(argv, 127, `${(e as Error).message}; is ${full[0]} installed?`)
      }
      const [stdout, stderr, code] = await Promise.all([
        new Response(p.stdout).text(),
        new Response(p.stderr).text(),
        p.exited,
      ])
      if (code !== 0 && !opts.allowFail) throw new CommandError(argv, code, stderr)
      return { code, stdout, stderr }
    },
  }
}

function spawn(argv: string[], stdin?: string) {
  return Bun.spawn(argv, {
    stdin: stdin === undefined ? 'ignore' : new Blob([stdin]),
    stdout: 'pipe',
    stderr: 'pipe',
  })
}

/** Writes a sysctl under /proc/sys (inside the host's namespace). */
export async function sysctl(h: Host, key: string, value: string): Promise<void> {
  await h.run(['sh', '-c', `echo ${value} > /proc/sys/${key.replaceAll('.', '/')}`])
}
