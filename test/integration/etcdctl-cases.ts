// One table of etcdctl checks, run unchanged against kubun's etcd shim and against a real etcd 3.4
// (etcdctl.test.ts), so every expectation here is proven to be etcd's own behaviour.
import { expect } from 'bun:test'
import { putStream } from './etcd-put-stream.ts'
import { type EtcdctlResult, etcdctl, type Target } from './etcdctl-targets.ts'

export interface Case {
  name: string
  /** the case kills and restarts the server (not possible for an in-process shim) */
  restarts?: boolean
  /** a known difference from etcd: the case is expected to fail against kubun until fixed */
  kubunDiffers?: string
  run(t: Target): Promise<void>
}

const ctl = (t: Target, ...args: string[]) => etcdctl(t.endpoint, args)

async function ok(t: Target, ...args: string[]): Promise<string> {
  const r = await ctl(t, ...args)
  if (r.code !== 0) throw new Error(`etcdctl ${args.join(' ')} failed (${r.code}): ${r.stderr}`)
  return r.stdout
}

/** The error line etcdctl prints, without its retry-interceptor log noise. */
const errorLine = (r: EtcdctlResult) => r.stderr.split('\n').find((l) => l.startsWith('Error:')) ?? r.stderr

async function putRev(t: Target, key: string, value: string): Promise<number> {
  return JSON.parse(await ok(t, 'put', key, value, '-w', 'json')).header.revision
}

/** Runs `etcdctl watch ...` until its output satisfies `done` (or 15 s pass), meanwhile calling `poke` every 200 ms. */
async function watchUntil(
  t: Target,
  args: string[],
  done: (out: string) => boolean,
  poke?: (i: number) => Promise<unknown>,
): Promise<string> {
  const p = Bun.spawn(['etcdctl', `--endpoints=${t.endpoint}`, 'watch', ...args], {
    env: { ...process.env, ETCDCTL_API: '3' },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  let out = ''
  const reader = (async () => {
    const dec = new TextDecoder()
    for await (const chunk of p.stdout) out += dec.decode(chunk)
  })()
  try {
    const deadline = Date.now() + 15_000
    for (let i = 0; Date.now() < deadline && !done(out) && p.exitCode === null; i++) {
      await poke?.(i)
      await Bun.sleep(200)
    }
  } finally {
    p.kill()
    await p.exited
    await reader
  }
  return out + (await new Response(p.stderr).text())
}

export const cases: Case[] = [
  {
    name: 'put then get a key; a missing key prints nothing',
    run: async (t) => {
      expect(await ok(t, 'put', '/put/a', 'hello')).toBe('OK\n')
      expect(await ok(t, 'get', '/put/a')).toBe('/put/a\nhello\n')
      expect(await ok(t, 'get', '/put/missing')).toBe('')
    },
  },
  {
    name: 'get --prefix, --limit, --keys-only and -w json',
    run: async (t) => {
      for (const [k, v] of [
        ['/p/a', '1'],
        ['/p/b', '2'],
        ['/p/c', '3'],
        ['/q', 'outside'],
      ])
        await ok(t, 'put', k, v)
      expect(await ok(t, 'get', '/p/', '--prefix')).toBe('/p/a\n1\n/p/b\n2\n/p/c\n3\n')
      expect(await ok(t, 'get', '/p/', '--prefix', '--limit=2')).toBe('/p/a\n1\n/p/b\n2\n')
      expect(await ok(t, 'get', '/p/', '--prefix', '--keys-only')).toBe('/p/a\n\n/p/b\n\n/p/c\n\n')
      const j = JSON.parse(await ok(t, 'get', '/p/', '--prefix', '--limit=2', '-w', 'json'))
      expect(j.count).toBe(3)
      expect(j.more).toBe(true)
      expect(j.kvs.map((kv: { key: string }) => Buffer.from(kv.key, 'base64').toString())).toEqual(['/p/a', '/p/b'])
      expect(j.kvs[0]).toMatchObject({ version: 1, value: Buffer.from('1').toString('base64') })
      expect(j.kvs[0].create_revision).toBe(j.kvs[0].mod_revision)
      expect(typeof j.header.revision).toBe('number')
      expect(j.header.raft_term).toBeGreaterThan(0)
      expect(await ok(t, 'get', '/p/', '--prefix', '--order=DESCEND', '--keys-only')).toBe('/p/c\n\n/p/b\n\n/p/a\n\n')
    },
  },
  {
    name: 'get --rev reads an older value; a future revision fails',
    run: async (t) => {
      const r1 = await putRev(t, '/rev/k', 'v1')
      const r2 = await putRev(t, '/rev/k', 'v2')
      expect(r2).toBeGreaterThan(r1)
      expect(await ok(t, 'get', '/rev/k', `--rev=${r1}`)).toBe('/rev/k\nv1\n')
      expect(await ok(t, 'get', '/rev/k')).toBe('/rev/k\nv2\n')
      const j = JSON.parse(await ok(t, 'get', '/rev/k', '-w', 'json'))
      expect(j.kvs[0]).toMatchObject({ create_revision: r1, mod_revision: r2, version: 2 })
      const future = await ctl(t, 'get', '/rev/k', `--rev=${r2 + 1000}`)
      expect(future.code).not.toBe(0)
      expect(errorLine(future)).toBe('Error: etcdserver: mvcc: required revision is a future revision')
    },
  },
  {
    name: 'del a key, a prefix, a missing key, with --prev-kv',
    run: async (t) => {
      for (const k of ['/d/a', '/d/b', '/d/c', '/d/x']) await ok(t, 'put', k, `v${k.slice(-1)}`)
      expect(await ok(t, 'del', '/d/x', '--prev-kv')).toBe('1\n/d/x\nvx\n')
      expect(await ok(t, 'del', '/d/a')).toBe('1\n')
      expect(await ok(t, 'del', '/d/', '--prefix')).toBe('2\n')
      expect(await ok(t, 'del', '/d/a')).toBe('0\n')
      expect(await ok(t, 'get', '/d/', '--prefix')).toBe('')
    },
  },
  {
    name: 'watch delivers live puts and deletes',
    run: async (t) => {
      const out = await watchUntil(
        t,
        ['/live/', '--prefix'],
        (o) => o.includes('DELETE\n/live/k\n'),
        async (i) => {
          await ok(t, 'put', '/live/k', `v${i}`)
          if (i >= 2) await ok(t, 'del', '/live/k')
        },
      )
      expect(out).toMatch(/PUT\n\/live\/k\nv\d+\n/)
      expect(out).toContain('DELETE\n/live/k\n')
    },
  },
  {
    name: 'watch --rev replays history in order, with --prev-kv',
    run: async (t) => {
      const r = await putRev(t, '/hist/a', 'v1')
      await ok(t, 'put', '/hist/a', 'v2')
      await ok(t, 'del', '/hist/a')
      const expected = 'PUT\n/hist/a\nv1\nPUT\n/hist/a\nv1\n/hist/a\nv2\nDELETE\n/hist/a\nv2\n/hist/a\n\n'
      const out = await watchUntil(t, ['--rev', String(r), '--prev-kv', '/hist/a'], (o) => o.length >= expected.length)
      expect(out).toBe(expected)
      const plain = await watchUntil(t, ['--rev', String(r + 1), '/hist/a'], (o) => o.includes('DELETE'))
      expect(plain).toBe('PUT\n/hist/a\nv2\nDELETE\n/hist/a\n\n')
    },
  },
  {
    name: 'txn compares on value, mod revision and create revision',
    run: async (t) => {
      const txn = (text: string, ...flags: string[]) => etcdctl(t.endpoint, ['txn', ...flags], text)
      const create = 'mod("/txn/k") = "0"\n\nput /txn/k created\n\nget /txn/k\n\n'
      expect((await txn(create)).stdout).toBe('SUCCESS\n\nOK\n')
      expect((await txn(create)).stdout).toBe('FAILURE\n\n/txn/k\ncreated\n')
      const j = JSON.parse(await ok(t, 'get', '/txn/k', '-w', 'json'))
      const { create_revision: cr, mod_revision: mr } = j.kvs[0]
      const byValue = await txn('value("/txn/k") = "created"\n\nput /txn/k updated\n\n\n', '-w', 'json')
      const bj = JSON.parse(byValue.stdout)
      expect(bj.succeeded).toBe(true)
      expect(bj.responses[0].Response.ResponsePut.header.revision).toBe(bj.header.revision)
      expect((await txn(`value("/txn/k") = "created"\n\nput /txn/k no\n\nget /txn/k\n\n`)).stdout).toBe(
        'FAILURE\n\n/txn/k\nupdated\n',
      )
      expect((await txn(`mod("/txn/k") = "${mr}"\n\nput /txn/k stale\n\n\n`)).stdout).toBe('FAILURE\n')
      expect((await txn(`create("/txn/k") = "${cr}"\nmod("/txn/k") > "${mr}"\n\nget /txn/k\n\n\n`)).stdout).toBe(
        'SUCCESS\n\n/txn/k\nupdated\n',
      )
      expect((await txn(`create("/txn/k") > "0"\nversion("/txn/k") = "2"\n\ndel /txn/k\n\n\n`)).stdout).toBe(
        'SUCCESS\n\n1\n',
      )
    },
  },
  {
    name: 'lease grant, put --lease, keep-alive, timetolive, list, revoke',
    run: async (t) => {
      const granted = await ok(t, 'lease', 'grant', '60')
      const m = /^lease ([0-9a-f]+) granted with TTL\(60s\)\n$/.exec(granted)
      expect(m).not.toBeNull()
      const id = (m as RegExpExecArray)[1]
      expect(await ok(t, 'put', `--lease=${id}`, '/lease/k', 'v')).toBe('OK\n')
      expect(await ok(t, 'lease', 'keep-alive', '--once', id)).toBe(`lease ${id} keepalived with TTL(60)\n`)
      const ttl = await ok(t, 'lease', 'timetolive', id, '--keys')
      const left = /^lease (\w+) granted with TTL\(60s\), remaining\((\d+)s\), attached keys\(\[\/lease\/k\]\)\n$/.exec(
        ttl,
      )
      expect(left?.[1]).toBe(id)
      // Seconds left count down from the keep-alive; a loaded machine may take a few of them.
      expect(Number(left?.[2])).toBeWithin(50, 61)
      expect(await ok(t, 'lease', 'list')).toContain(`\n${id}\n`)
      expect(JSON.parse(await ok(t, 'get', '/lease/k', '-w', 'json')).kvs[0].lease).toBe(Number.parseInt(id, 16))
      expect(await ok(t, 'lease', 'revoke', id)).toBe(`lease ${id} revoked\n`)
      expect(await ok(t, 'get', '/lease/k')).toBe('')
      expect(await ok(t, 'lease', 'timetolive', id)).toBe(`lease ${id} already expired\n`)
      const again = await ctl(t, 'lease', 'revoke', id)
      expect(again.code).not.toBe(0)
      expect(errorLine(again)).toBe('Error: failed to revoke lease (etcdserver: requested lease not found)')
      const orphan = await ctl(t, 'put', '--lease=1234', '/lease/x', 'v')
      expect(errorLine(orphan)).toBe('Error: etcdserver: requested lease not found')
    },
  },
  {
    name: 'an expired lease deletes its keys',
    run: async (t) => {
      const id = /lease ([0-9a-f]+) granted/.exec(await ok(t, 'lease', 'grant', '2'))?.[1] as string
      await ok(t, 'put', `--lease=${id}`, '/expire/k', 'v')
      const deadline = Date.now() + 15_000
      while (Date.now() < deadline && (await ok(t, 'get', '/expire/k')) !== '') await Bun.sleep(250)
      expect(await ok(t, 'get', '/expire/k')).toBe('')
    },
  },
  {
    name: 'an empty key is refused',
    run: async (t) => {
      const r = await ctl(t, 'put', '', 'v')
      expect(r.code).not.toBe(0)
      expect(errorLine(r)).toBe('Error: etcdserver: key is not provided')
    },
  },
  {
    name: 'compaction drops history: reads and watches below it fail as compacted',
    run: async (t) => {
      const r1 = await putRev(t, '/compact/k', 'v1')
      const r2 = await putRev(t, '/compact/k', 'v2')
      await putRev(t, '/compact/k', 'v3')
      expect(await ok(t, 'compaction', String(r2))).toBe(`compacted revision ${r2}\n`)
      const below = await ctl(t, 'get', '/compact/k', `--rev=${r1}`)
      expect(below.code).not.toBe(0)
      expect(errorLine(below)).toBe('Error: etcdserver: mvcc: required revision has been compacted')
      expect(await ok(t, 'get', '/compact/k', `--rev=${r2}`)).toBe('/compact/k\nv2\n')
      expect(await ok(t, 'get', '/compact/k')).toBe('/compact/k\nv3\n')
      const again = await ctl(t, 'compaction', String(r1))
      expect(errorLine(again)).toBe('Error: etcdserver: mvcc: required revision has been compacted')
      const w = await watchUntil(t, ['--rev', String(r1), '/compact/k'], (o) => o.includes('canceled'))
      expect(w).toContain('watch was canceled (etcdserver: mvcc: required revision has been compacted)')
    },
  },
  {
    name: 'a watch from the compact revision itself replays that revision',
    // etcd refuses only startRevision < compactRevision (mvcc watchable_store.go: `w.minRev < compactRev`).
    run: async (t) => {
      await putRev(t, '/compact-at/k', 'v1')
      const r2 = await putRev(t, '/compact-at/k', 'v2')
      await putRev(t, '/compact-at/k', 'v3')
      await ok(t, 'compaction', String(r2))
      const at = await watchUntil(t, ['--rev', String(r2), '/compact-at/k'], (o) => o.includes('v3'))
      expect(at).toBe('PUT\n/compact-at/k\nv2\nPUT\n/compact-at/k\nv3\n')
    },
  },
  {
    name: 'endpoint status, endpoint health and member list',
    run: async (t) => {
      await ok(t, 'put', '/status/k', 'v')
      const [s] = JSON.parse(await ok(t, 'endpoint', 'status', '-w', 'json'))
      expect(s.Endpoint).toBe(t.endpoint)
      expect(s.Status.version).toStartWith('3.4.')
      expect(s.Status.leader).toBe(s.Status.header.member_id)
      expect(s.Status.dbSize).toBeGreaterThan(0)
      expect(s.Status.raftTerm).toBe(s.Status.header.raft_term)
      expect(s.Status.header.revision).toBeGreaterThan(1)
      const table = await ok(t, 'endpoint', 'status')
      expect(table).toMatch(
        new RegExp(`^${t.endpoint}, [0-9a-f]+, 3\\.4\\.\\d+, \\d+ [kM]?B, true, false, \\d+, \\d+, \\d+, \n$`),
      )
      // etcdctl prints the health line on stderr.
      const health = await ctl(t, 'endpoint', 'health')
      expect(health.code).toBe(0)
      expect(health.stdout + health.stderr).toContain(`${t.endpoint} is healthy`)
      expect(await ok(t, 'alarm', 'list')).toBe('')
      expect(await ok(t, 'member', 'list')).toMatch(new RegExp(`, started, \\w+, .*http://${t.endpoint}, false\n$`))
    },
  },
  {
    name: 'kill -9 during a stream of puts loses no acknowledged put',
    restarts: true,
    run: async (t) => {
      const acked = await putStream(t.endpoint, '/crash/', {
        concurrency: 8,
        // Kill while puts are in flight: after a few hundred acknowledgements.
        onAck: async (n) => {
          if (n === 300) await t.crashAndRestart()
        },
        stopAfterErrors: 1,
      })
      expect(acked.length).toBeGreaterThanOrEqual(300)
      const keys = new Set((await ok(t, 'get', '/crash/', '--prefix', '--keys-only')).split('\n').filter(Boolean))
      const lost = acked.filter((k) => !keys.has(k))
      expect(lost).toEqual([])
    },
  },
]
