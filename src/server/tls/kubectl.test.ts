// The real kubectl against the TLS front, the admin kubeconfig and the auth chain: proves Go's TLS
// stack accepts our ECDSA PKI, client certificates reach the handler as identities, and kubectl's
// impersonation and bearer tokens are honoured. A stand-in handler answers /version and whoami.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ApiError } from '../../shared/errors.ts'
import {
  authenticate,
  bootstrapRbac,
  createRbacAuthorizer,
  forbiddenError,
  impersonate,
  requestAttributes,
  staticRbacSource,
  staticTokenAuthenticator,
  whoami,
} from '../auth/index.ts'
import { startTlsFront, type TlsFront } from './front.ts'
import { writeAdminKubeconfig } from './kubeconfig.ts'
import { ensurePki, issueClientCert, type Pki } from './pki.ts'

const KUBECTL = '/usr/bin/kubectl'
const haveKubectl = existsSync(KUBECTL)

let dir: string
let pki: Pki
let front: TlsFront

beforeAll(async () => {
  if (!haveKubectl) return
  dir = await mkdtemp(join(tmpdir(), 'kubun-kubectl-'))
  pki = await ensurePki({ dataDir: dir, sans: [], ips: [] })
  const authorize = createRbacAuthorizer(staticRbacSource(bootstrapRbac()))
  const tokens = [staticTokenAuthenticator({ 'robot-token': { name: 'robot', groups: ['bots'] } })]
  front = await startTlsFront({
    host: '127.0.0.1',
    port: 0,
    pki,
    backend: {
      async fetch(req, identity) {
        try {
          const url = new URL(req.url)
          const user = impersonate(req, await authenticate(req, identity, tokens), authorize)
          const attrs = requestAttributes(req.method, url, user)
          const d = authorize(attrs)
          if (!d.allowed) throw forbiddenError(attrs, d.reason)
          if (url.pathname === '/version') return Response.json({ major: '1', minor: '33', gitVersion: 'v1.33.0' })
          if (url.pathname.endsWith('/selfsubjectreviews')) return Response.json(whoami(user), { status: 201 })
          return Response.json(new ApiError(404, 'NotFound', 'not here').status, { status: 404 })
        } catch (e) {
          if (e instanceof ApiError) return Response.json(e.status, { status: e.code })
          throw e
        }
      },
    },
  })
  const server = `https://127.0.0.1:${front.port}`
  await writeAdminKubeconfig(pki, { path: join(dir, 'admin.yaml'), server })
  const bob = await issueClientCert(pki, { cn: 'bob', orgs: ['dev'] })
  await writeFile(join(dir, 'bob.crt'), bob.certPem)
  await writeFile(join(dir, 'bob.key'), bob.keyPem)
  await writeFile(join(dir, 'ca.crt'), pki.serverCa.certPem)
  await writeFile(join(dir, 'empty.yaml'), 'apiVersion: v1\nkind: Config\n')
})

afterAll(async () => {
  await front?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

async function kubectl(kubeconfig: string, ...args: string[]) {
  const p = Bun.spawn([KUBECTL, '--kubeconfig', join(dir, kubeconfig), ...args], { stdout: 'pipe', stderr: 'pipe' })
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  return { out, err, code }
}
const as = (user: 'bob' | 'anonymous', ...args: string[]) => [
  '--server',
  `https://127.0.0.1:${front.port}`,
  '--certificate-authority',
  join(dir, 'ca.crt'),
  ...(user === 'bob' ? ['--client-certificate', join(dir, 'bob.crt'), '--client-key', join(dir, 'bob.key')] : []),
  ...args,
]

describe.skipIf(!haveKubectl)('kubectl through the TLS front', () => {
  test('the admin kubeconfig reaches the server and is system:admin in system:masters', async () => {
    const v = await kubectl('admin.yaml', 'version', '-o', 'json')
    expect(v.code).toBe(0)
    expect(JSON.parse(v.out).serverVersion.minor).toBe('33')
    const w = await kubectl('admin.yaml', 'auth', 'whoami', '-o', 'json')
    expect(JSON.parse(w.out).status.userInfo).toEqual({
      username: 'system:admin',
      groups: ['system:masters', 'system:authenticated'],
    })
  })

  test('--as and --as-group impersonate for system:masters', async () => {
    const w = await kubectl(
      'admin.yaml',
      'auth',
      'whoami',
      '-o',
      'json',
      '--as',
      'jane',
      '--as-group',
      'a',
      '--as-group',
      'b',
    )
    expect(JSON.parse(w.out).status.userInfo).toEqual({ username: 'jane', groups: ['a', 'b', 'system:authenticated'] })
  })

  test('a client certificate from the client CA is its CN and O', async () => {
    const w = await kubectl('empty.yaml', ...as('bob', 'auth', 'whoami', '-o', 'json'))
    expect(JSON.parse(w.out).status.userInfo).toEqual({ username: 'bob', groups: ['dev', 'system:authenticated'] })
  })

  test('a user without the impersonate permission is refused', async () => {
    const w = await kubectl('empty.yaml', ...as('bob', 'get', '--raw', '/version', '--as', 'alice'))
    expect(w.code).not.toBe(0)
    expect(w.err).toContain(
      'users "alice" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope',
    )
  })

  test('a bearer token authenticates; a bad one is Unauthorized', async () => {
    const ok = await kubectl('empty.yaml', ...as('anonymous', '--token', 'robot-token', 'auth', 'whoami', '-o', 'json'))
    expect(JSON.parse(ok.out).status.userInfo.username).toBe('robot')
    const bad = await kubectl('empty.yaml', ...as('anonymous', '--token', 'wrong', 'get', '--raw', '/version'))
    expect(bad.code).not.toBe(0)
    expect(bad.err).toContain('Unauthorized')
  })
})
