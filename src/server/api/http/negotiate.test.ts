import { expect, test } from 'bun:test'
import { DISCOVERY_V2_TYPE, negotiate } from './negotiate.ts'

const cases: [string | null, ReturnType<typeof negotiate>][] = [
  [null, { as: 'json' }],
  ['application/json', { as: 'json' }],
  ['*/*', { as: 'json' }],
  // kubectl get
  [
    'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
    { as: 'Table', version: 'v1' },
  ],
  ['application/json;as=Table;v=v1beta1;g=meta.k8s.io', { as: 'Table', version: 'v1beta1' }],
  // metadata-only informers
  ['application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1', { as: 'PartialObjectMetadata', version: 'v1' }],
  // kubectl discovery
  [
    `${DISCOVERY_V2_TYPE},application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json`,
    { as: 'discovery-v2' },
  ],
  // protobuf first: answered in JSON
  ['application/vnd.kubernetes.protobuf, */*', { as: 'json' }],
  // an unknown `as` falls through to the next entry
  ['application/json;as=Unknown;v=v1;g=meta.k8s.io,application/json', { as: 'json' }],
]

test.each(cases)('Accept %p', (accept, want) => {
  expect(negotiate(accept)).toEqual(want)
})
