import { expect, test } from 'bun:test'
import { dropTypeDependentFields } from './type-dependent-fields.ts'

const nodePort = (): any => ({
  spec: {
    type: 'NodePort',
    clusterIP: '10.43.0.5',
    clusterIPs: ['10.43.0.5'],
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
    externalTrafficPolicy: 'Cluster',
    ports: [{ port: 80, nodePort: 30500 }],
  },
})

test('NodePort → ClusterIP drops the allocated node port and the traffic policy, keeps the cluster IP', () => {
  const old = nodePort()
  const next = nodePort()
  next.spec.type = 'ClusterIP'
  dropTypeDependentFields(next, old)
  expect(next.spec).toEqual({
    type: 'ClusterIP',
    clusterIP: '10.43.0.5',
    clusterIPs: ['10.43.0.5'],
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
    ports: [{ port: 80 }],
  })
})

test('→ ExternalName also drops the cluster IP and IP families; a value the user changed stays', () => {
  const old = nodePort()
  const next: any = { spec: { ...nodePort().spec, type: 'ExternalName', externalName: 'example.com' } }
  next.spec.ports = [{ port: 80, nodePort: 30600 }]
  dropTypeDependentFields(next, old)
  expect(next.spec.clusterIP).toBeUndefined()
  expect(next.spec.ipFamilies).toBeUndefined()
  expect(next.spec.externalTrafficPolicy).toBeUndefined()
  expect(next.spec.ports).toEqual([{ port: 80, nodePort: 30600 }])
})
