import { expect, test } from 'bun:test'
import { builtinRegistry } from '../../registry/index.ts'
import { goUnmarshalError } from './go-decode-error.ts'

const registry = builtinRegistry()
const deployment = registry.get('apps', 'v1', 'deployments')!.schema!
const pod = registry.get('', 'v1', 'pods')!.schema!

test('wrong types are worded as kube-apiserver’s JSON decoder words them', () => {
  const d = {
    spec: {
      replicas: 'two',
      template: { spec: { containers: [{ name: 'c', env: [{ name: 'A', value: 8080 }] }], imagePullSecrets: ['x'] } },
    },
    metadata: { labels: { a: true } },
  }
  const cases: [unknown, string, string | undefined][] = [
    [
      d,
      'spec.replicas',
      'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    ],
    [
      d,
      'spec.template.spec.containers[0].env[0].value',
      'json: cannot unmarshal number into Go struct field EnvVar.spec.template.spec.containers.env.value of type string',
    ],
    [
      d,
      'spec.template.spec.imagePullSecrets[0]',
      'json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.imagePullSecrets of type v1.LocalObjectReference',
    ],
    [
      d,
      'metadata.labels[a]',
      'json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string',
    ],
  ]
  for (const [obj, path, want] of cases) expect(goUnmarshalError(deployment, obj, path)).toBe(want)
  expect(goUnmarshalError(pod, { spec: { containers: 'c' } }, 'spec.containers')).toBe(
    'json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container',
  )
  // a Quantity decodes itself: no Go struct message for it
  const q = { spec: { containers: [{ resources: { limits: { cpu: true } } }] } }
  expect(goUnmarshalError(pod, q, 'spec.containers[0].resources.limits[cpu]')).toBeUndefined()
})
