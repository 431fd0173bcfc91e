import { expect, test } from 'bun:test'
import { validatePodSpecUpdate } from './pod-update.ts'

const base = {
  nodeName: 'n1',
  containers: [{ name: 'c', image: 'nginx:1' }],
  initContainers: [{ name: 'i', image: 'busybox:1' }],
  tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
  activeDeadlineSeconds: 100,
  terminationGracePeriodSeconds: 30,
  schedulingGates: [{ name: 'a' }, { name: 'b' }],
}
const unbound = { ...base, nodeName: undefined }
type Spec = Record<string, any>

test.each<[string, Spec, Spec, string | undefined]>([
  ['no change', base, base, undefined],
  ['container image', base, { ...base, containers: [{ name: 'c', image: 'nginx:2' }] }, undefined],
  ['init container image', base, { ...base, initContainers: [{ name: 'i', image: 'busybox:2' }] }, undefined],
  ['nodeName changed', base, { ...base, nodeName: 'n2' }, 'spec'],
  ['nodeName set by an update (only pods/binding may)', unbound, { ...unbound, nodeName: 'n1' }, 'spec'],
  ['nodeName cleared', base, { ...base, nodeName: undefined }, 'spec'],
  ['a container added', base, { ...base, containers: [...base.containers, { name: 'd', image: 'x' }] }, 'spec'],
  ['a container command', base, { ...base, containers: [{ name: 'c', image: 'nginx:1', command: ['sh'] }] }, 'spec'],
  ['activeDeadlineSeconds lowered', base, { ...base, activeDeadlineSeconds: 50 }, undefined],
  ['activeDeadlineSeconds raised', base, { ...base, activeDeadlineSeconds: 500 }, 'spec.activeDeadlineSeconds'],
  ['activeDeadlineSeconds removed', base, { ...base, activeDeadlineSeconds: undefined }, 'spec.activeDeadlineSeconds'],
  ['activeDeadlineSeconds set', { ...base, activeDeadlineSeconds: undefined }, base, undefined],
  [
    'toleration added',
    base,
    { ...base, tolerations: [...base.tolerations, { key: 'x', operator: 'Exists' }] },
    undefined,
  ],
  [
    'toleration seconds changed',
    base,
    { ...base, tolerations: [{ ...base.tolerations[0], tolerationSeconds: 10 }] },
    undefined,
  ],
  ['toleration removed', base, { ...base, tolerations: [] }, 'spec.tolerations'],
  [
    'grace period negative → 1',
    { ...base, terminationGracePeriodSeconds: -1 },
    { ...base, terminationGracePeriodSeconds: 1 },
    undefined,
  ],
  ['grace period changed', base, { ...base, terminationGracePeriodSeconds: 5 }, 'spec'],
  ['scheduling gate removed', base, { ...base, schedulingGates: [{ name: 'b' }] }, undefined],
  [
    'scheduling gate added',
    base,
    { ...base, schedulingGates: [...base.schedulingGates, { name: 'c' }] },
    'spec.schedulingGates',
  ],
])('%s', (_name, old, next, field) => {
  const errs = validatePodSpecUpdate(next, old)
  if (!field) expect(errs).toEqual([])
  else expect(errs.map((e) => e.field)).toContain(field)
})
