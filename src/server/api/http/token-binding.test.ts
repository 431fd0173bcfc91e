import { describe, expect, test } from 'bun:test'
import type { KubeObject } from '../../registry/types.ts'
import { type BoundKind, bindingClaims, bindingStillValid } from './token-binding.ts'

const objects: Record<string, KubeObject> = {
  'Pod/ns/p': { metadata: { name: 'p', namespace: 'ns', uid: 'pod-uid' }, spec: { nodeName: 'n1' } },
  'Secret/ns/s': { metadata: { name: 's', namespace: 'ns', uid: 'secret-uid' } },
  'Node//n1': { metadata: { name: 'n1', uid: 'node-uid' } },
}
const lookup = (kind: BoundKind, ns: string, name: string) => objects[`${kind}/${kind === 'Node' ? '' : ns}/${name}`]

describe('TokenRequest boundObjectRef', () => {
  test.each([
    [
      { kind: 'Pod', apiVersion: 'v1', name: 'p' },
      { pod: { name: 'p', uid: 'pod-uid' }, node: { name: 'n1', uid: 'node-uid' } },
    ],
    [{ kind: 'Secret', apiVersion: 'v1', name: 's' }, { secret: { name: 's', uid: 'secret-uid' } }],
    [{ kind: 'Node', apiVersion: 'v1', name: 'n1', uid: 'node-uid' }, { node: { name: 'n1', uid: 'node-uid' } }],
    [undefined, {}],
  ])('%p binds %p', (ref, want) => {
    expect(bindingClaims(ref, 'sa', 'ns', lookup)).toEqual(want)
  })

  test.each([
    [{ kind: 'Pod', apiVersion: 'v1', name: 'x' }, 404, 'pods "x" not found'],
    [{ kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'old' }, 409, 'the UID in the bound object reference (old)'],
    [
      { kind: 'Deployment', apiVersion: 'apps/v1', name: 'd' },
      400,
      'cannot bind token for serviceaccount "sa" to object of type apps/v1, Kind=Deployment',
    ],
  ])('%p is refused with %p', (ref, code, message) => {
    let err: any
    try {
      bindingClaims(ref, 'sa', 'ns', lookup)
    } catch (e) {
      err = e
    }
    expect(err?.code).toBe(code)
    expect(err?.message).toContain(message)
  })

  test('a bound token stops being valid once its object is gone or recreated', () => {
    expect(
      bindingStillValid({ pod: { name: 'p', uid: 'pod-uid' }, node: { name: 'gone', uid: 'x' } }, 'ns', lookup),
    ).toBe(true)
    expect(bindingStillValid({ pod: { name: 'p', uid: 'other' } }, 'ns', lookup)).toBe(false)
    expect(bindingStillValid({ secret: { name: 'missing', uid: 'u' } }, 'ns', lookup)).toBe(false)
    expect(bindingStillValid({ node: { name: 'n1', uid: 'node-uid' } }, 'ns', lookup)).toBe(true)
    expect(bindingStillValid({}, 'ns', lookup)).toBe(true)
  })
})
