import { expect, test } from 'bun:test'
import { CLUSTER_DEFAULTS, clusterSettings } from './cluster-settings.ts'

const server = {
  clusterCidr: '10.100.0.0/16',
  serviceCidr: '10.200.0.0/16',
  clusterDns: '10.200.0.10',
  clusterDomain: 'corp.local',
  nodePortRange: '31000-31999',
}

test.each([
  ['a remote agent takes the server settings', {}, server, server],
  ['in-process values win', { clusterDns: '10.9.9.9' }, server, { ...server, clusterDns: '10.9.9.9' }],
  ['an older server sends none: k3s defaults', {}, undefined, CLUSTER_DEFAULTS],
  [
    'a partial answer keeps the defaults for the rest',
    {},
    { clusterDomain: 'x.y' },
    { ...CLUSTER_DEFAULTS, clusterDomain: 'x.y' },
  ],
] as const)('%s', (_n, local, fromServer, want) => {
  expect(clusterSettings(local, fromServer)).toEqual(want)
})
