import { describe, expect, test } from 'bun:test'
import { matchFields, parseFieldSelector, pinnedName } from './field-selector.ts'

const def = {
  fieldSelectors: { 'spec.nodeName': (o: any) => o.spec?.nodeName, 'status.phase': (o: any) => o.status?.phase },
}
const pod = { metadata: { name: 'p', namespace: 'ns' }, spec: { nodeName: 'n1' }, status: { phase: 'Running' } }

describe('field selectors', () => {
  test.each([
    ['metadata.name=p', true],
    ['metadata.name==p', true],
    ['metadata.name!=p', false],
    ['metadata.namespace=ns,spec.nodeName=n1', true],
    ['status.phase!=Succeeded,status.phase!=Failed', true],
    ['spec.nodeName=', false],
    ['spec.nodeName!=', true],
  ])('%p → %p', (sel, want) => {
    expect(matchFields(parseFieldSelector(sel, def), def, pod)).toBe(want)
  })

  test('escaped separators stay in the value', () => {
    const s = parseFieldSelector('metadata.name=a\\,b', def)
    expect(s).toEqual([{ field: 'metadata.name', op: '=', value: 'a,b' }])
  })

  test('unknown fields and malformed terms are 400s', () => {
    expect(() => parseFieldSelector('spec.other=1', def)).toThrow('field label not supported: spec.other')
    expect(() => parseFieldSelector('metadata.name', def)).toThrow(expect.objectContaining({ code: 400 }))
  })

  test('a name pinned by = lets lists skip the scan', () => {
    expect(pinnedName(parseFieldSelector('metadata.name=web', def))).toBe('web')
    expect(pinnedName(parseFieldSelector('metadata.name!=web', def))).toBeUndefined()
  })
})
