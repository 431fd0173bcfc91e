import { expect, test } from 'bun:test'
import { resolveAdvertiseAddress } from './host-address.ts'

const host = () => '192.168.1.5'
const none = () => undefined

test.each([
  ['explicit --advertise-address wins', { advertiseAddress: '10.0.0.9', nodeIp: '10.0.0.1' }, host, '10.0.0.9'],
  ['--node-ip next', { nodeIp: '10.0.0.1' }, host, '10.0.0.1'],
  ['host primary IPv4 by default', {}, host, '192.168.1.5'],
  ['wildcard bind still uses the host IP', { bindAddress: '0.0.0.0' }, host, '192.168.1.5'],
  ['loopback-only bind advertises loopback', { bindAddress: '127.0.0.1', nodeIp: '10.0.0.1' }, host, '127.0.0.1'],
  ['a specific bind address is the one served', { bindAddress: '10.1.2.3' }, host, '10.1.2.3'],
  ['no address at all: loopback', {}, none, '127.0.0.1'],
] as const)('%s', (_name, inputs, h, want) => {
  expect(resolveAdvertiseAddress(inputs, h)).toBe(want)
})
