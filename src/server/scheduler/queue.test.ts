import { describe, expect, test } from 'bun:test'
import { SchedulingQueue } from './queue.ts'
import { pod } from './testing.ts'

describe('scheduling queue', () => {
  test('higher priority first, then arrival order; duplicates collapse', async () => {
    const q = new SchedulingQueue()
    const a = pod('a')
    q.add(a)
    q.add({ ...pod('b'), spec: { ...pod('b').spec!, priority: 10 } })
    q.add(pod('c'))
    q.add(a)
    expect(q.length).toBe(3)
    const order = [await q.pop(), await q.pop(), await q.pop()].map((p) => p?.metadata?.name)
    expect(order).toEqual(['b', 'a', 'c'])
    q.close()
  })
  test('a parked pod returns on a cluster change once its back-off has passed', async () => {
    let now = 0
    const q = new SchedulingQueue({ now: () => now })
    q.parkUnschedulable(pod('a'))
    q.moveAllToActive()
    expect(q.length).toBe(0) // still backing off (1 s)
    now = 1500
    q.moveAllToActive()
    expect(q.length).toBe(1)
    q.close()
  })
  test('a deleted pod is never popped', async () => {
    const q = new SchedulingQueue()
    const a = pod('a')
    q.add(a)
    q.add(pod('b'))
    q.delete(a)
    expect((await q.pop())?.metadata?.name).toBe('b')
    q.close()
  })
})
