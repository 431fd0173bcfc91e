// kubectl logs, exec, cp and port-forward through the API server to the kubelet API, over real Docker,
// with the real kubectl 1.32 and 1.33 (WebSocket channel protocol, SPDY/3.1 over WebSocket).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../integration/kubectl-harness.ts'
import { run } from './network-harness.ts'
import { canRunStreamingE2E, KUBECTLS, type StreamingEnv, startStreamingEnv } from './streaming-harness.ts'

const enabled = canRunStreamingE2E()

/** Reads a running process's stdout until `until(text)` holds (or it ends); returns what was read. */
async function readUntil(p: Bun.Subprocess<'ignore', 'pipe', 'pipe'>, until: (t: string) => boolean): Promise<string> {
  const r = p.stdout.getReader()
  let text = ''
  while (!until(text)) {
    const { value, done } = await r.read()
    if (done) break
    text += new TextDecoder().decode(value)
  }
  r.releaseLock()
  return text
}

describe.skipIf(!enabled)('streaming through the API server to the kubelet (Docker)', () => {
  let env: StreamingEnv
  let tmp: string
  beforeAll(async () => {
    env = await startStreamingEnv()
    tmp = mkdtempSync(join(tmpdir(), 'kbs-cp-'))
  }, 120_000)
  afterAll(async () => {
    if (tmp) rmSync(tmp, { recursive: true, force: true })
    await env?.cleanup.run()
  }, 60_000)

  const spawnKubectl = (bin: string, args: string[]) =>
    Bun.spawn([bin, ...args], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: env.server.dir,
        KUBECONFIG: env.server.kubeconfig,
        KUBECACHEDIR: join(env.server.dir, 'kubecache-spawn'),
      },
      stdin: 'ignore',
      stdout: 'pipe',
      stderr: 'pipe',
    })

  describe.each(KUBECTLS)('kubectl %s', (_, bin) => {
    const k = (args: string[], stdin?: string) => env.server.kubectl(args, { bin, stdin })

    test('logs: all, --tail, --timestamps', async () => {
      // Other tests append to the log (logs -f): compare the tail with the full log, not with constants.
      const lines = (await env.server.ok(['logs', env.pod], { bin })).trimEnd().split('\n')
      expect(lines.slice(0, 3)).toEqual(['starting', 'line1', 'line2'])
      expect(await env.server.ok(['logs', env.pod, '--tail=1'], { bin })).toBe(`${lines.at(-1)}\n`)
      const stamped = (await env.server.ok(['logs', env.pod, '--tail=2', '--timestamps'], { bin }))
        .trimEnd()
        .split('\n')
      expect(stamped.map((l) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z (.*)$/.exec(l)?.[1])).toEqual(lines.slice(-2))
    })

    test('logs: --previous, --limit-bytes, --since', async () => {
      expect(await env.server.ok(['logs', env.pod, '--previous'], { bin })).toBe('from the previous attempt\n')
      expect(await env.server.ok(['logs', env.pod, '--limit-bytes=5'], { bin })).toBe('start')
      expect(await env.server.ok(['logs', env.pod, '--since=1h', '--tail=2'], { bin })).toMatch(/\n.*\n$/)
    })

    test('logs -f follows new output', async () => {
      const p = spawnKubectl(bin, ['logs', '-f', env.pod, '-c', 'web'])
      try {
        expect(await readUntil(p, (t) => t.includes('line2'))).toContain('line2')
        // Written to the main process's stdout, which is what Docker logs.
        await env.server.ok(['exec', env.pod, '--', 'sh', '-c', `echo followed-${bin.slice(-4)} > /proc/1/fd/1`], {
          bin,
        })
        expect(await readUntil(p, (t) => t.includes(`followed-${bin.slice(-4)}`))).toContain(
          `followed-${bin.slice(-4)}`,
        )
      } finally {
        p.kill()
        await p.exited
      }
    })

    test('exec prints the output and exits with the command exit code', async () => {
      const r = await k(['exec', env.pod, '--', 'sh', '-c', 'echo hi; echo oops >&2; exit 3'])
      expect(r.stdout).toBe('hi\n')
      expect(r.stderr).toContain('oops')
      expect(r.code).toBe(3)
    })

    test('exec -i passes stdin and its end', async () => {
      const r = await k(['exec', '-i', env.pod, '--', 'sh', '-c', 'cat; echo done'], 'from stdin\n')
      expect(r).toMatchObject({ code: 0, stdout: 'from stdin\ndone\n' })
    })

    test.skipIf(!Bun.which('script'))('exec -it in a terminal: TTY output, its size, exit code', async () => {
      // script(1) gives kubectl a terminal of 77x22; kubectl sends that size on the resize channel.
      // The size arrives right after the start: retry (quietly) until the process sees it.
      const waitSize =
        'i=0; s=; while [ "$s" != "22 77" ] && [ $i -lt 50 ]; do s=$(stty size 2>/dev/null); sleep 0.1; i=$((i+1)); done'
      const cmd = `stty cols 77 rows 22; ${bin} exec -it ${env.pod} -- sh -c '${waitSize}; echo size $s; exit 4'`
      const p = Bun.spawn(['script', '-qec', cmd, '/dev/null'], {
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: env.server.dir,
          KUBECONFIG: env.server.kubeconfig,
          KUBECACHEDIR: join(env.server.dir, 'kubecache-tty'),
          TERM: 'xterm',
        },
        stdin: 'pipe',
        stdout: 'pipe',
        stderr: 'pipe',
      })
      const [out, code] = await Promise.all([new Response(p.stdout).text(), p.exited])
      expect(out).toContain('size 22 77\r\n')
      expect(out).toContain('command terminated with exit code 4')
      expect(code).toBe(4)
    })

    test('attach streams the main process output', async () => {
      const p = spawnKubectl(bin, ['attach', env.pod])
      let seen = false
      const tag = `attached-${bin.slice(-4)}`
      // Until attach is connected, output goes only to the log: write until it shows up.
      const writer = (async () => {
        while (!seen) {
          await env.server.ok(['exec', env.pod, '--', 'sh', '-c', `echo ${tag} > /proc/1/fd/1`], { bin })
          await Bun.sleep(200)
        }
      })()
      try {
        expect(await readUntil(p, (t) => t.includes(tag))).toContain(tag)
      } finally {
        seen = true
        p.kill()
        await p.exited
        await writer
      }
    })

    test('cp to and from the pod (tar over exec)', async () => {
      const local = join(tmp, `in-${bin.slice(-4)}.txt`)
      const content = `copied by kubectl ${bin}\n`.repeat(2000)
      writeFileSync(local, content)
      await env.server.ok(['cp', local, `${env.pod}:/tmp/in.txt`], { bin })
      expect(await env.server.ok(['exec', env.pod, '--', 'cat', '/tmp/in.txt'], { bin })).toBe(content)
      const back = join(tmp, `out-${bin.slice(-4)}.html`)
      await env.server.ok(['cp', `${env.pod}:/www/index.html`, back], { bin })
      expect(readFileSync(back, 'utf8')).toBe('hello from the pod\n')
    })

    test('port-forward carries several connections to the pod port', async () => {
      const port = await freePort()
      const p = spawnKubectl(bin, ['port-forward', `pod/${env.pod}`, `${port}:80`])
      try {
        expect(await readUntil(p, (t) => t.includes('Forwarding from'))).toContain(`127.0.0.1:${port} -> 80`)
        for (let i = 0; i < 3; i++) {
          const res = await fetch(`http://127.0.0.1:${port}/index.html`)
          expect(await res.text()).toBe('hello from the pod\n')
        }
      } finally {
        p.kill()
        await p.exited
      }
    })

    test('errors: unknown pod, unknown container', async () => {
      const missing = await k(['exec', 'no-such-pod', '--', 'true'])
      expect(missing.code).not.toBe(0)
      expect(missing.stderr).toContain('pods "no-such-pod" not found')
      const badContainer = await k(['logs', env.pod, '-c', 'nope'])
      expect(badContainer.stderr).toContain(`container nope is not valid for pod ${env.pod}`)
    })

    test('port-forward to a closed pod port reports the error from the kubelet', async () => {
      const port = await freePort()
      const p = spawnKubectl(bin, ['port-forward', `pod/${env.pod}`, `${port}:81`])
      try {
        await readUntil(p, (t) => t.includes('Forwarding from'))
        await fetch(`http://127.0.0.1:${port}/`).catch(() => undefined)
        p.kill()
        expect(await new Response(p.stderr).text()).toContain('error forwarding port 81')
      } finally {
        p.kill()
        await p.exited
      }
    })
  })

  test('a slow reader gets every byte (no message dropped under backpressure)', async () => {
    const bin = KUBECTLS[1][1]
    await env.server.ok(['exec', env.pod, '--', 'sh', '-c', 'head -c 40000000 /dev/urandom > /tmp/big'], { bin })
    const container = (
      await run(['docker', 'ps', '-q', '--filter', `label=io.kubernetes.pod.name=${env.pod}`])
    ).stdout.trim()
    const want = (await run(['sh', '-c', `docker exec ${container} cat /tmp/big | sha256sum`])).stdout
    // The pipe stalls kubectl for a while: far more than 16 MiB waits in the API server for it.
    const e = `KUBECONFIG=${env.server.kubeconfig} KUBECACHEDIR=${join(env.server.dir, 'kubecache-slow')}`
    const got = (await run(['sh', '-c', `${e} ${bin} exec ${env.pod} -- cat /tmp/big | (sleep 3; sha256sum)`])).stdout
    expect(got).toBe(want)
  }, 60_000)

  test('a pod on a node whose kubelet is down: a clear 503, for logs and exec', async () => {
    const port = await freePort()
    const ok = (args: string[], stdin?: string) => env.server.ok(args, { stdin })
    await ok(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'gone-node' } }))
    const status = {
      addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
      daemonEndpoints: { kubeletEndpoint: { Port: port } },
    }
    await ok(['patch', 'node', 'gone-node', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status })])
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'lonely' },
      spec: { nodeName: 'gone-node', containers: [{ name: 'c', image: 'x' }] },
    }
    await ok(['create', '-f', '-'], JSON.stringify(pod))
    const running = {
      phase: 'Running',
      containerStatuses: [{ name: 'c', image: 'x', imageID: '', ready: true, restartCount: 0, state: { running: {} } }],
    }
    await ok([
      'patch',
      'pod',
      'lonely',
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({ status: running }),
    ])
    for (const args of [
      ['logs', 'lonely'],
      ['exec', 'lonely', '--', 'true'],
    ]) {
      const r = await env.server.kubectl(args)
      expect(r.code).not.toBe(0)
      expect(r.stderr).toContain(`cannot reach the kubelet of node "gone-node" at https://127.0.0.1:${port}`)
    }
  })

  test('exec needs create on pods/exec (get alone is forbidden)', async () => {
    await env.server.ok(['create', 'role', 'exec-get', '--verb=get', '--resource=pods,pods/exec'])
    await env.server.ok(['create', 'rolebinding', 'exec-get', '--role=exec-get', '--user=viewer'])
    const r = await env.server.kubectl(['exec', '--as=viewer', env.pod, '--', 'true'])
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain('cannot create resource "pods/exec"')
    expect((await env.server.kubectl(['logs', '--as=viewer', env.pod])).stderr).toContain(
      'cannot get resource "pods/log"',
    )
  })

  test('the kubelet API accepts only the API server (client CA)', async () => {
    const url = `https://127.0.0.1:${env.kubeletPort}/containerLogs/default/${env.pod}/web`
    const res = await fetch(url, { tls: { rejectUnauthorized: false } } as RequestInit)
    expect(res.status).toBe(401)
    const health = await fetch(`https://127.0.0.1:${env.kubeletPort}/healthz`, {
      tls: { rejectUnauthorized: false },
    } as RequestInit)
    expect(await health.text()).toBe('ok\n')
  })
})
