import { expect, test } from 'bun:test'
import type { Pod } from 'kubernetes-types/core/v1'
import { masterServiceEnv, SA_MOUNT, withServiceAccountVolume } from './service-account.ts'

const pod: Pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'a' }], initContainers: [{ name: 'i' }] } }

test('every container gets the kube-api-access volume at the ServiceAccount path', () => {
  const p = withServiceAccountVolume(pod)
  expect(p.spec?.volumes?.[0].projected?.sources?.map((s) => Object.keys(s)[0])).toEqual([
    'serviceAccountToken',
    'configMap',
    'downwardAPI',
  ])
  expect(p.spec?.containers[0].volumeMounts).toEqual([
    { name: 'kube-api-access-kubun', mountPath: SA_MOUNT, readOnly: true },
  ])
  expect(p.spec?.initContainers?.[0].volumeMounts?.[0].mountPath).toBe(SA_MOUNT)
})

test.each([
  [
    'automount off',
    { ...pod, spec: { ...pod.spec, containers: [{ name: 'a' }], automountServiceAccountToken: false } },
  ],
  [
    'already mounted',
    { ...pod, spec: { containers: [{ name: 'a', volumeMounts: [{ name: 'x', mountPath: SA_MOUNT }] }] } },
  ],
  [
    'admission already added it',
    { ...pod, spec: { containers: [{ name: 'a' }], volumes: [{ name: 'kube-api-access-abcde' }] } },
  ],
])('left alone: %s', (_n, p) => {
  expect(withServiceAccountVolume(p as Pod)).toBe(p as Pod)
})

test('master service variables', () => {
  expect(masterServiceEnv('10.43.0.1')).toMatchObject({
    KUBERNETES_SERVICE_HOST: '10.43.0.1',
    KUBERNETES_SERVICE_PORT: '443',
    KUBERNETES_PORT_443_TCP: 'tcp://10.43.0.1:443',
  })
})
