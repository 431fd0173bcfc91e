import { describe, expect, test } from 'bun:test'
import { deleteOptions, listOptions, managerFromUserAgent, requestContext, watchOptions } from './query-options.ts'

const q = (s: string) => new URLSearchParams(s)
const user = { name: 'u', groups: [] }

describe('query options', () => {
  test.each([
    ['limit=500', { limit: 500 }],
    [
      'labelSelector=app%3Dweb&fieldSelector=metadata.name%3Dx',
      { labelSelector: 'app=web', fieldSelector: 'metadata.name=x' },
    ],
    ['resourceVersion=0', { resourceVersion: '0' }],
    ['continue=abc', { continue: 'abc' }],
  ])('list %s', (s, want) => {
    expect(listOptions(q(s))).toEqual(want)
  })

  test('continue with a resourceVersion is refused', () => {
    expect(() => listOptions(q('continue=abc&resourceVersion=5'))).toThrow('specifying resource version')
  })

  test('a watch on one name is a metadata.name field selector', () => {
    expect(watchOptions(q('allowWatchBookmarks=true&timeoutSeconds=300&resourceVersion=9'), 'web')).toEqual({
      fieldSelector: 'metadata.name=web',
      resourceVersion: '9',
      allowBookmarks: true,
      timeoutSeconds: 300,
    })
  })

  test.each([
    [
      'dryRun=All&fieldManager=kubectl&fieldValidation=Strict',
      { dryRun: true, fieldManager: 'kubectl', fieldValidation: 'Strict' },
    ],
    ['', { fieldValidation: 'Warn' }],
  ])('request context %s', (s, want) => {
    expect(requestContext(user, q(s))).toMatchObject(want)
  })

  test.each([
    ['curl/8.5.0', 'curl'],
    ['kubectl/v1.32.5 (linux/amd64) kubernetes/abc', 'kubectl'],
    ['python-requests', 'python-requests'],
    ['', ''],
    [null, ''],
    ['x'.repeat(200), 'x'.repeat(128)],
  ])('field manager from User-Agent %p is %p (upstream prefixFromUserAgent)', (ua, want) => {
    expect(managerFromUserAgent(ua)).toBe(want)
  })

  test('an explicit fieldManager wins over the User-Agent; without one the agent names the manager', () => {
    expect(requestContext(user, q('fieldManager=mine'), [], 'curl/8').fieldManager).toBe('mine')
    expect(requestContext(user, q(''), [], 'curl/8').fieldManager).toBe('curl')
    expect(requestContext(user, q(''), [], undefined).fieldManager).toBeUndefined()
  })

  test.each(['dryRun=Some', 'fieldValidation=Loose', 'limit=ten'])('%s is a 400', (s) => {
    expect(() => {
      listOptions(q(s))
      requestContext(user, q(s))
    }).toThrow()
  })

  test('DeleteOptions from the body win over the query, orphanDependents maps to a policy', () => {
    expect(deleteOptions(q('gracePeriodSeconds=30'), { gracePeriodSeconds: 0, dryRun: ['All'] })).toEqual({
      gracePeriodSeconds: 0,
      dryRun: true,
    })
    expect(deleteOptions(q(''), { orphanDependents: true })).toEqual({ propagationPolicy: 'Orphan' })
    expect(() => deleteOptions(q('propagationPolicy=Sideways'), undefined)).toThrow('Unsupported value')
  })
})
