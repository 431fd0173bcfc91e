import { describe, expect, test } from 'bun:test'
import type { Container, Pod } from 'kubernetes-types/core/v1'
import { ContainerConfigError, expandVars, type ObjectSource, resolveEnv } from './env.ts'

const src: ObjectSource = {
  configMap: async (_ns, name) => (name === 'cfg' ? { MODE: 'prod', 'bad key': 'x', PORT: '80' } : undefined),
  secret: async (_ns, name) => (name === 'sec' ? { password: 's3cret' } : undefined),
}
const info = {
  podIPs: ['10.42.0.5'],
  hostIPs: ['192.168.1.2'],
  nodeName: 'n1',
  allocatable: { cpu: 4, memory: 8 * 2 ** 30 },
}
const pod: Pod = {
  metadata: { name: 'web', namespace: 'shop', uid: 'u1', labels: { app: 'web' } },
  spec: { containers: [], nodeName: 'n1', serviceAccountName: 'default' },
}
const run = (c: Partial<Container>) => resolveEnv(pod, { name: 'c', ...c }, src, info)

describe('expandVars', () => {
  const vars = new Map([['A', 'x']])
  test.each([
    ['$(A)-$(A)', 'x-x'],
    ['$(B)', '$(B)'],
    ['$$(A)', '$(A)'],
    ['plain $A', 'plain $A'],
  ])('%s → %s', (s, want) => expect(expandVars(s, vars)).toBe(want))
})

describe('resolveEnv', () => {
  test('envFrom then env, later wins, $(VAR) expands, prefix applied, invalid keys skipped', async () => {
    const env = await run({
      envFrom: [{ configMapRef: { name: 'cfg' } }, { secretRef: { name: 'sec' }, prefix: 'S_' }],
      env: [
        { name: 'MODE', value: 'dev' },
        { name: 'URL', value: 'http://$(HOST):$(PORT)' },
        { name: 'HOST', value: 'h' },
      ],
    })
    expect(Object.fromEntries(env)).toEqual({
      MODE: 'dev',
      PORT: '80',
      S_password: 's3cret',
      URL: 'http://$(HOST):80',
      HOST: 'h',
    })
  })

  test('valueFrom: configMapKeyRef, secretKeyRef, fieldRef, resourceFieldRef', async () => {
    const env = await run({
      resources: { limits: { memory: '64Mi' } },
      env: [
        { name: 'M', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'MODE' } } },
        { name: 'P', valueFrom: { secretKeyRef: { name: 'sec', key: 'password' } } },
        { name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'L', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'HIP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
        { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
        { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
      ],
    })
    expect(Object.fromEntries(env)).toEqual({
      M: 'prod',
      P: 's3cret',
      N: 'shop',
      L: 'web',
      IP: '10.42.0.5',
      HIP: '192.168.1.2',
      NODE: 'n1',
      MEM: '64',
      CPU: '4',
    })
  })

  test.each([
    [{ envFrom: [{ configMapRef: { name: 'nope' } }] }, 'configmap "nope" not found'],
    [{ env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'nope', key: 'k' } } }] }, 'secret "nope" not found'],
    [{ env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k' } } }] }, "couldn't find key k"],
  ])('missing source → CreateContainerConfigError', async (c, msg) => {
    const err = await run(c as Partial<Container>).catch((e) => e)
    expect(err).toBeInstanceOf(ContainerConfigError)
    expect(err.message).toContain(msg)
  })

  test('optional sources may be missing', async () => {
    const env = await run({
      envFrom: [{ configMapRef: { name: 'nope', optional: true } }],
      env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'nope', key: 'k', optional: true } } }],
    })
    expect(env.size).toBe(0)
  })
})
