import { expect, test } from 'bun:test'
import type { Pod } from 'kubernetes-types/core/v1'
import { staticPod } from './static-pods.ts'

test('a manifest becomes a static pod named <name>-<node> with a stable uid and the config annotations', () => {
  const m: Pod = {
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'kube-system' },
    spec: { containers: [{ name: 'c', image: 'i' }] },
  }
  const a = staticPod(m, 'n1', 'web.yaml')
  const b = staticPod(m, 'n1', 'web.yaml')
  expect(a.metadata?.name).toBe('web-n1')
  expect(a.metadata?.namespace).toBe('kube-system')
  expect(a.metadata?.uid).toBe(b.metadata?.uid as string)
  expect(a.metadata?.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
  expect(a.spec?.nodeName).toBe('n1')
  expect(a.metadata?.annotations?.['kubernetes.io/config.source']).toBe('file')
  const edited = staticPod({ ...m, spec: { containers: [{ name: 'c', image: 'j' }] } } as Pod, 'n1', 'web.yaml')
  expect(edited.metadata?.uid).not.toBe(a.metadata?.uid as string)
})
