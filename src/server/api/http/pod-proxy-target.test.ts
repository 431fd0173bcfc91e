import { describe, expect, test } from 'bun:test'
import { ApiError } from '../../../shared/errors.ts'
import { checkStreamable, kubeletBase, kubeletPath, resolveContainer } from './pod-proxy-target.ts'

const pod = (spec: any, status: any = { phase: 'Running' }) => ({ metadata: { name: 'web' }, spec, status })
const one = pod({ nodeName: 'n1', containers: [{ name: 'app' }] })
const two = pod({ nodeName: 'n1', containers: [{ name: 'a' }, { name: 'b' }], initContainers: [{ name: 'init' }] })

function message(f: () => unknown): string {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError)
    return `${(e as ApiError).code} ${(e as Error).message}`
  }
  return 'ok'
}

describe('pod streaming target', () => {
  test.each([
    ['the only container by default', one, null, 'app'],
    ['a named init container', two, 'init', 'init'],
  ])('resolves %s', (_, p, req, want) => {
    expect(resolveContainer(p, req)).toBe(want)
  })

  test.each([
    [
      'several containers and none named',
      () => resolveContainer(two, null),
      '400 a container name must be specified for pod web, choose one of: [a b] or one of the init containers: [init]',
    ],
    ['an unknown container', () => resolveContainer(one, 'x'), '400 container x is not valid for pod web'],
    [
      'an unscheduled pod',
      () => checkStreamable(pod({ containers: [{ name: 'app' }] }), 'log', 'app', false),
      '400 pod web does not have a host assigned',
    ],
    [
      'exec into a finished pod',
      () => checkStreamable(pod(one.spec, { phase: 'Succeeded' }), 'exec', 'app', false),
      '400 cannot exec into a container in a completed pod; current phase is Succeeded',
    ],
    [
      'logs of a container waiting to start',
      () =>
        checkStreamable(
          pod(one.spec, {
            phase: 'Pending',
            containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ImagePullBackOff' } } }],
          }),
          'log',
          'app',
          false,
        ),
      '400 container "app" in pod "web" is waiting to start: ImagePullBackOff',
    ],
    ['a running container', () => checkStreamable(one, 'exec', 'app', false), 'ok'],
    [
      'logs of a crash-looping container (it ran before)',
      () =>
        checkStreamable(
          pod(one.spec, {
            phase: 'Running',
            containerStatuses: [
              {
                name: 'app',
                state: { waiting: { reason: 'CrashLoopBackOff' } },
                lastState: { terminated: { exitCode: 1 } },
              },
            ],
          }),
          'log',
          'app',
          false,
        ),
      'ok',
    ],
  ])('%s', (_, f, want) => {
    expect(message(f)).toBe(want)
  })

  test('the kubelet address comes from the Node (InternalIP first, kubeletEndpoint port)', () => {
    const node = {
      metadata: { name: 'n1' },
      status: {
        addresses: [
          { type: 'Hostname', address: 'n1' },
          { type: 'InternalIP', address: '10.0.0.5' },
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: 11250 } },
      },
    }
    expect(kubeletBase(node)).toBe('https://10.0.0.5:11250')
    expect(
      kubeletBase({ metadata: { name: 'n' }, status: { addresses: [{ type: 'InternalIP', address: 'fd00::1' }] } }),
    ).toBe('https://[fd00::1]:10250')
    expect(message(() => kubeletBase({ metadata: { name: 'n1' }, status: {} }))).toStartWith(
      '503 node "n1" reports no address',
    )
  })

  test('kubelet paths carry only what the kubelet reads', () => {
    const q = new URLSearchParams('container=app&command=sh&command=-c&command=echo hi&stdin=true&tty=false')
    expect(kubeletPath('exec', 'default', 'web', 'app', q)).toBe(
      '/exec/default/web/app?command=sh&command=-c&command=echo+hi&stdin=true&tty=false',
    )
    expect(kubeletPath('log', 'ns', 'web', 'app', new URLSearchParams('container=app&follow=true&tailLines=5'))).toBe(
      '/containerLogs/ns/web/app?follow=true&tailLines=5',
    )
    expect(kubeletPath('portforward', 'ns', 'web', '', new URLSearchParams())).toBe('/portForward/ns/web')
  })
})
