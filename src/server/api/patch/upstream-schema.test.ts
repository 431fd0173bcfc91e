// The patch library against the registry's real upstream schemas (not the small fixtures), so a schema
// change that breaks merge keys or list types shows up here.
import { describe, expect, test } from 'bun:test'
import { kindSchema } from '../../registry/schemas/index.ts'
import { applyPatch } from './apply.ts'
import { applyStrategicMergePatch } from './strategic-merge.ts'

const deploymentSchema = kindSchema('apps', 'v1', 'Deployment')
const podSchema = kindSchema('', 'v1', 'Pod')

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', finalizers: ['a'] },
  spec: {
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
    template: {
      spec: {
        containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] }],
        volumes: [{ name: 'd', emptyDir: {} }],
        tolerations: [{ key: 'a', operator: 'Exists' }],
      },
    },
  },
})

describe.if(!!deploymentSchema && !!podSchema)('with the registry schemas', () => {
  test('strategic merge uses the upstream merge keys and strategies', () => {
    const out: any = applyStrategicMergePatch(
      deployment(),
      {
        metadata: { finalizers: ['b'] },
        spec: {
          strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' },
          template: {
            spec: {
              '$setElementOrder/containers': [{ name: 'web' }],
              containers: [
                {
                  name: 'web',
                  env: [{ name: 'B', value: '2' }],
                  '$setElementOrder/env': [{ name: 'A' }, { name: 'B' }],
                },
              ],
              '$setElementOrder/volumes': [{ name: 'd' }],
              volumes: [{ $retainKeys: ['configMap', 'name'], configMap: { name: 'c' }, emptyDir: null, name: 'd' }],
              tolerations: [{ key: 'b', operator: 'Exists' }],
            },
          },
        },
      },
      deploymentSchema,
    )
    expect([...out.metadata.finalizers].sort()).toEqual(['a', 'b'])
    expect(out.spec.strategy).toEqual({ type: 'Recreate' })
    expect(out.spec.template.spec.containers[0].env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
    ])
    expect(out.spec.template.spec.volumes).toEqual([{ name: 'd', configMap: { name: 'c' } }])
    expect(out.spec.template.spec.tolerations).toEqual([{ key: 'b', operator: 'Exists' }])
  })

  test('pod status conditions merge by type', () => {
    const pod = { status: { conditions: [{ type: 'Ready', status: 'False' }] } }
    const out: any = applyStrategicMergePatch(
      pod,
      { status: { conditions: [{ type: 'PodScheduled', status: 'True' }] } },
      podSchema,
    )
    expect(out.status.conditions.map((c: any) => c.type).sort()).toEqual(['PodScheduled', 'Ready'])
  })

  test('server-side apply keys containers by name and ports by containerPort+protocol', () => {
    const { managedFields } = applyPatch(undefined, deployment(), 'kubectl', { schema: deploymentSchema })
    const containers = (managedFields[0].fieldsV1 as any)['f:spec']['f:template']['f:spec']['f:containers']
    expect(Object.keys(containers)).toEqual(['k:{"name":"web"}'])
    expect(Object.keys(containers['k:{"name":"web"}']['f:ports'])).toEqual(['k:{"containerPort":80,"protocol":"TCP"}'])
    expect((managedFields[0].fieldsV1 as any)['f:spec']['f:template']['f:spec']['f:tolerations']).toEqual({})
  })
})
