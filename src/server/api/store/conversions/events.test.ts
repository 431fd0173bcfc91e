import { expect, test } from 'bun:test'
import { coreToEventsV1, eventsV1ToCore } from './events.ts'

const modern = {
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  metadata: { name: 'e', namespace: 'd' },
  regarding: { kind: 'Pod', name: 'p' },
  note: 'pulled',
  reason: 'Pulled',
  type: 'Normal',
  reportingController: 'kubelet',
  reportingInstance: 'n1',
  eventTime: '2026-01-01T00:00:00.000000Z',
  deprecatedCount: 2,
}

test('events.k8s.io/v1 and core/v1 shapes convert both ways', () => {
  const core = eventsV1ToCore(modern)
  expect(core).toEqual({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'e', namespace: 'd' },
    involvedObject: { kind: 'Pod', name: 'p' },
    message: 'pulled',
    reason: 'Pulled',
    type: 'Normal',
    reportingComponent: 'kubelet',
    reportingInstance: 'n1',
    eventTime: '2026-01-01T00:00:00.000000Z',
    count: 2,
  })
  expect(coreToEventsV1(core)).toEqual(modern)
})
