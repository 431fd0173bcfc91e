// Pod updates as upstream's ValidatePodUpdate, with the real kubectl: `set image` works, spec.nodeName is
// set only through a Binding and never changed by an update afterwards.
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

const pod = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: c, image: nginx:1}]
  schedulerName: nobody   # no scheduler binds it: this test does
`

test('set image works; nodeName comes from a Binding and an update may not change it', async () => {
  await srv.ok(['apply', '-f', '-'], { stdin: pod })
  await srv.ok(['set', 'image', 'pod/p', 'c=nginx:2'])
  expect(await srv.ok(['get', 'pod', 'p', '-o', 'jsonpath={.spec.containers[0].image}'])).toBe('nginx:2')

  const setByPatch = await srv.kubectl(['patch', 'pod', 'p', '-p', '{"spec":{"nodeName":"n1"}}'])
  expect(setByPatch.code).not.toBe(0)
  expect(setByPatch.stderr).toContain('pod updates may not change fields other than')

  const binding = 'apiVersion: v1\nkind: Binding\nmetadata: {name: p}\ntarget: {apiVersion: v1, kind: Node, name: n1}\n'
  await srv.ok(['create', '-f', '-'], { stdin: binding })
  expect(await srv.ok(['get', 'pod', 'p', '-o', 'jsonpath={.spec.nodeName}'])).toBe('n1')

  const moved = await srv.kubectl(['patch', 'pod', 'p', '-p', '{"spec":{"nodeName":"n2"}}'])
  expect(moved.code).not.toBe(0)
  expect(moved.stderr).toContain('spec: Forbidden: pod updates may not change fields other than')
  const rebound = await srv.kubectl(['create', '-f', '-'], { stdin: binding.replace('n1', 'n2') })
  expect(rebound.code).not.toBe(0)
  expect(rebound.stderr).toContain('already assigned to node "n1"')
  // still changeable after binding: the image
  await srv.ok(['set', 'image', 'pod/p', 'c=nginx:3'])
  expect(await srv.ok(['get', 'pod', 'p', '-o', 'jsonpath={.spec.nodeName} {.spec.containers[0].image}'])).toBe(
    'n1 nginx:3',
  )
})
