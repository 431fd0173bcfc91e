import { expect, test } from 'bun:test'
import { BackoffLimiter, WorkQueue } from './workqueue.ts'

test('a key added twice while waiting is processed once', async () => {
  const q = new WorkQueue()
  q.add('a')
  q.add('b')
  q.add('a')
  expect(q.len()).toBe(2)
  expect(await q.get()).toBe('a')
  expect(await q.get()).toBe('b')
  expect(q.len()).toBe(0)
})

test('a key re-added while processing is not handed out again until done', async () => {
  const q = new WorkQueue()
  q.add('a')
  const first = await q.get()
  q.add('a')
  q.add('a')
  expect(q.len()).toBe(0)
  let second: string | undefined
  q.get().then((k) => (second = k))
  await Bun.sleep(1)
  expect(second).toBeUndefined()
  q.done(first!)
  await Bun.sleep(1)
  expect(second).toBe('a')
  q.done('a')
  expect(q.len()).toBe(0)
})

test('a waiting worker receives a newly added key', async () => {
  const q = new WorkQueue()
  const p = q.get()
  q.add('x')
  expect(await p).toBe('x')
})

test('addAfter keeps the earliest due time and shutDown releases waiters', async () => {
  const q = new WorkQueue()
  q.addAfter('a', 10_000)
  q.addAfter('a', 5)
  expect(await q.get()).toBe('a')
  const p = q.get()
  q.shutDown()
  expect(await p).toBeUndefined()
})

test('back-off doubles per key from the base up to the cap and forget resets it', () => {
  const l = new BackoffLimiter(5, 30)
  expect([l.when('a'), l.when('a'), l.when('a'), l.when('a')]).toEqual([5, 10, 20, 30])
  expect(l.when('b')).toBe(5)
  l.forget('a')
  expect(l.when('a')).toBe(5)
})
