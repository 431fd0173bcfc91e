#!/usr/bin/env bun
// cac commands → run functions; nothing else.
import { cac } from 'cac'
import pkg from '../package.json' with { type: 'json' }
import { resolveConfig, UsageError } from './cli/config.ts'
import { agentFlags, camel, type FlagSpec, serverFlags, simulateFlags } from './cli/flags.ts'

const cli = cac('kubun')

function addFlags(cmd: ReturnType<typeof cli.command>, specs: FlagSpec[]) {
  cmd.option('-c, --config <path>', 'Config file (keys = flag names)', { default: undefined })
  for (const s of specs) {
    const def =
      s.default === undefined || (Array.isArray(s.default) && !s.default.length) ? '' : ` (default: ${s.default})`
    // Values stay strings ([String]) so tokens like 0123 keep their digits; validation converts them.
    if (s.kind === 'bool') cmd.option(`--${s.name}`, `${s.help}${def}`)
    else cmd.option(`--${s.name} <${s.kind === 'list' ? 'value' : s.kind}>`, `${s.help}${def}`, { type: [String] })
  }
  return cmd
}

/** cac gives arrays for [String] options; scalar flags keep the last value given. */
function cliValues(opts: Record<string, unknown>, specs: FlagSpec[]): Record<string, unknown> {
  const out: Record<string, unknown> = { config: last(opts.config) }
  for (const s of specs) {
    const v = opts[camel(s.name)]
    out[camel(s.name)] = s.kind === 'list' ? v : last(v)
  }
  return out
}
/** k3s prints `k3s version v1.x+k3s1 (hash)`; we add the runtime so bug reports carry it. */
const versionLine = () => `kubun version v${pkg.version} (bun ${Bun.version}, ${process.platform}/${process.arch})`

const last = (v: unknown) => (Array.isArray(v) ? v[v.length - 1] : v)

addFlags(
  cli.command('server', 'Run a Kubernetes server (and, unless --disable-agent, a local agent)'),
  serverFlags,
).action(async (opts) => {
  const config = resolveConfig({ specs: serverFlags, cli: cliValues(opts, serverFlags) })
  const { runServer } = await import('./server/index.ts')
  await runServer(config)
})

addFlags(cli.command('agent', 'Run a node agent joined to a server'), agentFlags).action(async (opts) => {
  const config = resolveConfig({ specs: agentFlags, cli: cliValues(opts, agentFlags) })
  if (!config.server) throw new UsageError('--server is required (or KUBUN_URL), e.g. --server https://10.0.0.1:6443')
  if (!config.token)
    throw new UsageError(
      '--token is required (or KUBUN_TOKEN); read it from <data-dir>/server/node-token on the server',
    )
  const { runAgent } = await import('./agent/index.ts')
  await runAgent({
    server: config.server,
    token: config.token,
    dataDir: config.dataDir,
    nodeName: config.nodeName,
    nodeIp: config.nodeIp,
    nodeLabel: config.nodeLabel,
    nodeTaint: config.nodeTaint,
    dockerSocket: config.dockerSocket,
  })
})

cli
  .command('killall', 'Stop kubun, its pods and its pod network (data and images stay)')
  .option('--data-dir <path>', 'Folder holding state (default: /var/lib/kubun)')
  .option('--docker-socket <path>', 'Docker Engine API socket (default: /var/run/docker.sock)')
  .action(async (opts) => {
    const { killall } = await import('./agent/killall.ts')
    const { DockerRuntime } = await import('./agent/runtime/docker.ts')
    // A running agent would rebuild what killall removes (k3s-killall.sh stops k3s first too).
    const stopped = await (await import('./agent/host-lock.ts')).stopLockHolder()
    if (stopped) process.stdout.write(`stopped kubun (pid ${stopped})\n`)
    const runtime = new DockerRuntime(opts.dockerSocket ?? '/var/run/docker.sock')
    const reachable = await runtime.version().then(
      () => true,
      (e) => {
        process.stderr.write(`kubun: ${(e as Error).message}; containers left as they are\n`)
        return false
      },
    )
    const lines = await killall({ dataDir: opts.dataDir ?? '/var/lib/kubun', runtime: reachable ? runtime : undefined })
    for (const l of lines) process.stdout.write(`${l}\n`)
  })

addFlags(cli.command('simulate', 'Register simulated nodes that run pods with a fake runtime'), simulateFlags).action(
  async (opts) => {
    const config = resolveConfig({ specs: simulateFlags, cli: cliValues(opts, simulateFlags) })
    const { runSimulate } = await import('./agent/simulate/index.ts')
    await runSimulate(config)
  },
)

cli
  .command('token [action]', 'Manage join tokens: create, list')
  .option('--ttl <duration>', 'Lifetime of a created token, 0 = forever', { default: '24h' })
  .option('--description <text>', 'Description stored with a created token')
  .option('--kubeconfig <path>', 'Admin kubeconfig', { default: process.env.KUBECONFIG ?? '/etc/kubun/kubun.yaml' })
  .option('--data-dir <path>', 'Server data dir (for the CA hash)', { default: '/var/lib/kubun' })
  .action(async (action: string | undefined, opts) => {
    const { runTokenCommand } = await import('./server/join/token-command.ts')
    const out = await runTokenCommand(action, {
      kubeconfig: String(opts.kubeconfig),
      dataDir: String(opts.dataDir),
      ttl: String(opts.ttl),
      description: opts.description,
    })
    process.stdout.write(`${out}\n`)
  })
cli
  .command('check-config', 'Check that this host can run the agent')
  .option('--docker-socket <path>', 'Docker Engine API socket (default: /var/run/docker.sock or DOCKER_HOST)')
  .action(async (opts) => {
    const { checkConfig } = await import('./agent/check-config.ts')
    process.exit(await checkConfig({ dockerSocket: last(opts.dockerSocket) as string | undefined }))
  })
cli
  .command('kubectl [...args]', 'Run kubectl with the admin kubeconfig')
  .allowUnknownOptions()
  .action(() => {
    // Handled in main() before cac parses, so kubectl's own flags pass through untouched.
  })

cli.help()
cli.option('-v, --version', 'Print the version')

/** cac reports `--no-x` as `--x` (negation); name the flag exactly as the user typed it. */
function unknownFlag(): string | undefined {
  const opts = [...(cli.matchedCommand?.options ?? []), ...cli.globalCommand.options]
  const known = new Set(opts.flatMap((o) => o.rawName.match(/--?[\w-]+/g) ?? []))
  return process.argv.slice(2).find((a) => a.startsWith('-') && !known.has(a.split('=')[0]))
}

async function main() {
  try {
    if (process.argv[2] === 'kubectl') {
      const { runKubectl } = await import('./cli/kubectl.ts')
      process.exit(await runKubectl(process.argv.slice(3)))
    }
    cli.parse(process.argv, { run: false })
    if (!cli.matchedCommand) {
      if (cli.args.length) throw new UsageError(`unknown command "${cli.args[0]}"; run kubun --help for the list`)
      if (cli.options.version) process.stdout.write(`${versionLine()}\n`)
      else if (!cli.options.help) cli.outputHelp()
      return
    }
    await cli.runMatchedCommand()
  } catch (e) {
    const err = e as Error
    if (err instanceof UsageError || err.name === 'CACError') {
      const msg = /^Unknown option/.test(err.message)
        ? `unknown flag ${unknownFlag() ?? err.message.slice(15)}; run kubun ${cli.matchedCommand?.name ?? ''} --help for the flags`
        : err.message
      process.stderr.write(`kubun: ${msg}\n`)
      process.exit(2)
    }
    process.stderr.write(`kubun: ${err.message}\n`)
    if (process.env.KUBUN_LOG_LEVEL === 'debug') process.stderr.write(`${err.stack}\n`)
    process.exit(1)
  }
}

await main()
