// Static PV binding with the real kubectl against `kubun server`: a hostPath PV and a claim bind
// (both Bound in `kubectl get pv,pvc`), the claim names the volume the kubelet mounts through
// spec.volumeName, and deleting the claim releases a Retain volume.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test'
import { startTestServer, type TestServer } from './kubectl-harness.ts'

setDefaultTimeout(60_000)
let srv: TestServer
beforeAll(async () => {
  srv = await startTestServer()
}, 90_000)
afterAll(async () => {
  await srv?.stop()
})

const manifests = `apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-data}
spec:
  capacity: {storage: 2Gi}
  accessModes: [ReadWriteOnce]
  hostPath: {path: /tmp/kubun-pv-data}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
`

async function until(args: string[], want: string): Promise<string> {
  let last = ''
  for (let i = 0; i < 100; i++) {
    last = (await srv.kubectl(args)).stdout.trim()
    if (last === want) return last
    await Bun.sleep(100)
  }
  throw new Error(`kubectl ${args.join(' ')}: wanted "${want}", got "${last}"\n${srv.log()}`)
}

test('a claim and a hostPath PV bind; kubectl get pv,pvc shows both Bound; a deleted claim releases the PV', async () => {
  await srv.ok(['apply', '-f', '-'], { stdin: manifests })
  await until(['get', 'pvc', 'data', '-o', 'jsonpath={.status.phase} {.spec.volumeName}'], 'Bound pv-data')
  await until(
    ['get', 'pv', 'pv-data', '-o', 'jsonpath={.status.phase} {.spec.claimRef.namespace}/{.spec.claimRef.name}'],
    'Bound default/data',
  )
  const table = await srv.ok(['get', 'pv,pvc'])
  expect(table).toMatch(/persistentvolume\/pv-data\s+2Gi\s+RWO\s+Retain\s+Bound\s+default\/data/)
  expect(table).toMatch(/persistentvolumeclaim\/data\s+Bound\s+pv-data\s+2Gi\s+RWO/)
  expect(await srv.ok(['get', 'pvc', 'data', '-o', 'jsonpath={.status.capacity.storage}'])).toBe('2Gi')

  await srv.ok(['delete', 'pvc', 'data'])
  await until(['get', 'pv', 'pv-data', '-o', 'jsonpath={.status.phase}'], 'Released')
})
