// Proves the decoder against the real client: every body under test/fixtures/protobuf was sent by
// kubectl 1.32 / 1.33 (see capture.ts there), and must decode into the very object that the same
// command prints with `--dry-run=client -o json`.
import { describe, expect, test } from 'bun:test'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ApiError } from '../../../shared/errors.ts'
import { decodeKubeProtobuf, isKubeProtobufMediaType } from './decode-kube-protobuf.ts'
import { KubeProtobufError } from './errors.ts'

const FIXTURES = join(import.meta.dir, '../../../../test/fixtures/protobuf')
const files = readdirSync(FIXTURES)
const body = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)))

/** JSON's `null` (a zero metav1.Time) means the same as an absent field. */
function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls)
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== null)
        .map(([k, x]) => [k, dropNulls(x)]),
    )
  return v
}

describe('bodies kubectl sent match what it printed with --dry-run=client -o json', () => {
  const cases = files.filter((f) => f.endsWith('.pb') && files.includes(f.replace(/\.pb$/, '.json')))
  test('fixtures exist for both kubectl minors', () => {
    expect(cases.filter((f) => f.includes('.132.')).length).toBeGreaterThanOrEqual(20)
    expect(cases.filter((f) => f.includes('.133.')).length).toBeGreaterThanOrEqual(20)
  })
  test.each(cases)('%s', (file) => {
    const expected = dropNulls(JSON.parse(readFileSync(join(FIXTURES, file.replace(/\.pb$/, '.json')), 'utf8'))) as {
      apiVersion: string
      kind: string
    }
    const got = decodeKubeProtobuf(body(file))
    expect(got.apiVersion).toBe(expected.apiVersion)
    expect(got.kind).toBe(expected.kind)
    expect(got.object).toEqual(expected)
  })
})

// Requests that have no client-side dry run: the expected objects follow the command line.
describe('auth and token requests', () => {
  const cases: [string, unknown][] = [
    [
      'can-i', // auth can-i create deployments.apps -n team-a
      {
        kind: 'SelfSubjectAccessReview',
        apiVersion: 'authorization.k8s.io/v1',
        metadata: {},
        spec: { resourceAttributes: { namespace: 'team-a', verb: 'create', group: 'apps', resource: 'deployments' } },
        status: { allowed: false },
      },
    ],
    [
      'can-i-subresource', // auth can-i get pods --subresource=log
      {
        kind: 'SelfSubjectAccessReview',
        apiVersion: 'authorization.k8s.io/v1',
        metadata: {},
        spec: { resourceAttributes: { namespace: 'default', verb: 'get', resource: 'pods', subresource: 'log' } },
        status: { allowed: false },
      },
    ],
    [
      'can-i-list', // auth can-i --list -n team-a
      {
        kind: 'SelfSubjectRulesReview',
        apiVersion: 'authorization.k8s.io/v1',
        metadata: {},
        spec: { namespace: 'team-a' },
        status: { incomplete: false },
      },
    ],
    [
      'whoami',
      { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: {}, status: { userInfo: {} } },
    ],
    [
      'token', // create token robot --duration=1h --audience=api
      {
        kind: 'TokenRequest',
        apiVersion: 'authentication.k8s.io/v1',
        metadata: {},
        spec: { audiences: ['api'], expirationSeconds: 3600 },
        status: { token: '' },
      },
    ],
  ]
  for (const minor of ['132', '133'])
    test.each(cases)(`%s.${minor}`, (name, expected) => {
      expect(decodeKubeProtobuf(body(`${name}.${minor}.pb`)).object).toEqual(expected as Record<string, unknown>)
    })
})

describe('refusals', () => {
  const deployment = body('deployment.132.pb')

  test('a body without the magic prefix is a 400 that says so', () => {
    const err = catchError(() => decodeKubeProtobuf(new TextEncoder().encode('{"kind":"Pod"}')))
    expect(err).toBeInstanceOf(KubeProtobufError)
    expect(err).toBeInstanceOf(ApiError)
    expect(err.code).toBe(400)
    expect(err.message).toContain('magic prefix')
  })

  test('a truncated body is a 400, not a crash', () => {
    for (const cut of [5, 20, 40, deployment.length - 30]) {
      const err = catchError(() => decodeKubeProtobuf(deployment.subarray(0, cut)))
      expect(err.code).toBe(400)
      expect(err.reason).toBe('BadRequest')
    }
  })

  test('a kind without a message table is a 415 naming the kind', () => {
    // the deployment's envelope with its kind renamed to a same-length unknown one
    const renamed = deployment.slice()
    const at = Buffer.from(renamed).indexOf('Deployment')
    renamed.set(new TextEncoder().encode('Widgetment'), at)
    const err = catchError(() => decodeKubeProtobuf(renamed))
    expect(err.code).toBe(415)
    expect(err.reason).toBe('UnsupportedMediaType')
    expect(err.message).toContain('Widgetment (apps/v1)')
    expect(err.status.code).toBe(415)
  })
})

test.each([
  ['application/vnd.kubernetes.protobuf', true],
  ['application/vnd.kubernetes.protobuf; charset=binary', true],
  ['Application/Vnd.Kubernetes.Protobuf', true],
  ['application/vnd.kubernetes.protobuf;stream=watch', false],
  ['application/json', false],
  ['', false],
  [null, false],
])('isKubeProtobufMediaType(%p) is %p', (type, expected) => {
  expect(isKubeProtobufMediaType(type)).toBe(expected)
})

function catchError(f: () => unknown): ApiError {
  try {
    f()
  } catch (e) {
    return e as ApiError
  }
  throw new Error('expected an error')
}
