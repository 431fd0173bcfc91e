import { expect, test } from 'bun:test'
import { desiredSlices, endpointsSubsets, portsFor } from './endpoints-plan.ts'

const svc = (o: { publish?: boolean; ports?: any[]; headless?: boolean } = {}) => ({
  metadata: { name: 'web', namespace: 'ns' },
  spec: {
    selector: { app: 'web' },
    ports: o.ports ?? [{ name: 'http', port: 80, targetPort: 'http' }],
    publishNotReadyAddresses: o.publish,
    ...(o.headless ? { clusterIP: 'None' } : {}),
  },
})
const pod = (
  name: string,
  o: {
    ready?: boolean
    deleting?: boolean
    ip?: string
    port?: number
    phase?: string
    hostname?: string
    subdomain?: string
  } = {},
) => ({
  metadata: {
    name,
    namespace: 'ns',
    uid: `u-${name}`,
    labels: { app: 'web' },
    ...(o.deleting ? { deletionTimestamp: 'x' } : {}),
  },
  spec: {
    nodeName: 'n1',
    hostname: o.hostname,
    subdomain: o.subdomain,
    containers: [{ name: 'c', ports: [{ name: 'http', containerPort: o.port ?? 8080 }] }],
  },
  status: {
    phase: o.phase ?? 'Running',
    podIP: o.ip === '' ? undefined : (o.ip ?? `10.0.0.${name.length}`),
    conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }],
  },
})
const conds = (s: any) =>
  s.endpoints.map((e: any) => [e.targetRef.name, e.conditions.ready, e.conditions.serving, e.conditions.terminating])

test.each([
  { name: 'ready pod', pods: [pod('a')], publish: false, want: [['a', true, true, false]] },
  { name: 'not ready pod', pods: [pod('a', { ready: false })], publish: false, want: [['a', false, false, false]] },
  {
    name: 'terminating ready pod: serving, not ready',
    pods: [pod('a', { deleting: true })],
    publish: false,
    want: [['a', false, true, true]],
  },
  {
    name: 'publishNotReadyAddresses makes everything ready',
    pods: [pod('a', { ready: false })],
    publish: true,
    want: [['a', true, false, false]],
  },
  { name: 'no IP yet: left out', pods: [pod('a', { ip: '' })], publish: false, want: [] },
  { name: 'finished pods are left out', pods: [pod('a', { phase: 'Succeeded' })], publish: false, want: [] },
])('$name', ({ pods, publish, want }) => {
  const [slice] = desiredSlices(svc({ publish }), [...pods])
  expect(conds(slice)).toEqual(want)
})

test('named target ports resolve per pod, splitting slices by port number', () => {
  const slices = desiredSlices(svc(), [pod('a', { port: 8080 }), pod('b', { port: 9090 })])
  expect(slices.map((s) => [s.ports[0].port, s.endpoints.map((e: any) => e.targetRef.name)])).toEqual([
    [8080, ['a']],
    [9090, ['b']],
  ])
  expect(portsFor(svc({ ports: [{ port: 80, targetPort: 'missing' }] }), pod('a'))).toEqual([])
})

test('hostname only when the subdomain names the service; Endpoints leave terminating pods out', () => {
  const [s] = desiredSlices(svc({ headless: true }), [
    pod('a', { hostname: 'a', subdomain: 'web' }),
    pod('bb', { hostname: 'b', subdomain: 'other' }),
  ])
  expect(s.endpoints.map((e: any) => e.hostname)).toEqual(['a', undefined])
  const subsets = endpointsSubsets(svc(), [pod('a'), pod('bb', { ready: false }), pod('ccc', { deleting: true })])
  expect(subsets).toHaveLength(1)
  expect(subsets[0].addresses.map((a: any) => a.targetRef.name)).toEqual(['a'])
  expect(subsets[0].notReadyAddresses.map((a: any) => a.targetRef.name)).toEqual(['bb'])
})

test('a service with no pods gets one empty placeholder slice', () => {
  expect(desiredSlices(svc(), [])).toEqual([{ addressType: 'IPv4', endpoints: [] }])
})

test('slice ports always carry a name ("" when the service port has none), endpoints ports omit it', () => {
  const s = svc({ ports: [{ port: 80, targetPort: 8080 }] })
  expect(desiredSlices(s, [pod('a')])[0].ports).toEqual([{ name: '', port: 8080, protocol: 'TCP' }])
  expect(endpointsSubsets(s, [pod('a')])[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }])
})
