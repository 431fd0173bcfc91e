import { expect, test } from 'bun:test'
import { applyLimitRanges, checkQuotas } from './quota-admission.ts'

const pod = (resources: Record<string, unknown> = {}) => ({
  metadata: { name: 'p', namespace: 'ns' },
  spec: { containers: [{ name: 'c', image: 'x', resources }] },
})
const range = (limit: Record<string, unknown>) => ({ spec: { limits: [{ type: 'Container', ...limit }] } })

test('container defaults from a LimitRange, with the limit-ranger annotation', () => {
  const p: any = pod()
  applyLimitRanges(p, [range({ default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m' } })])
  expect(p.spec.containers[0].resources).toEqual({
    requests: { cpu: '100m', memory: '256Mi' },
    limits: { cpu: '500m', memory: '256Mi' },
  })
  expect(p.metadata.annotations['kubernetes.io/limit-ranger']).toBe(
    'LimitRanger plugin set: cpu, memory request for container c; cpu, memory limit for container c',
  )
})

test.each([
  {
    name: 'below min',
    r: { min: { cpu: '200m' } },
    res: { requests: { cpu: '100m' }, limits: { cpu: '1' } },
    msg: 'minimum cpu usage per Container is 200m, but request is 100m',
  },
  {
    name: 'above max',
    r: { max: { memory: '1Gi' } },
    res: { limits: { memory: '2Gi' } },
    msg: 'maximum memory usage per Container is 1Gi, but limit is 2Gi',
  },
])('refuses a pod $name', ({ r, res, msg }) => {
  expect(() => applyLimitRanges(pod(res), [range(r)])).toThrow(msg)
})

test('exceeding a quota is a 403 with upstream wording; requests must be given when tracked', () => {
  const q = {
    metadata: { name: 'q' },
    spec: { hard: { pods: '2', 'requests.cpu': '1' } },
    status: { used: { pods: '2', 'requests.cpu': '500m' } },
  }
  expect(() => checkQuotas(pod({ requests: { cpu: '100m' } }), '', 'pods', [q])).toThrow(
    'pods "p" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2',
  )
  expect(() => checkQuotas(pod(), '', 'pods', [{ ...q, status: { used: { pods: '0' } } }])).toThrow(
    'must specify requests.cpu',
  )
  const cm = { metadata: { name: 'c' }, spec: { hard: { configmaps: '1' } }, status: { used: { configmaps: '1' } } }
  expect(() => checkQuotas({ metadata: { name: 'x' } }, '', 'configmaps', [cm])).toThrow(
    'exceeded quota: c, requested: configmaps=1',
  )
  expect(() => checkQuotas({ metadata: { name: 'x' } }, '', 'secrets', [cm])).not.toThrow()
})
