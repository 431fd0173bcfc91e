// OpenAPI v2/v3 documents generated from the resource registry.
export { type OpenApiBody, OpenApiCache } from './cache.ts'
export { documentKey, groupVersions, openapiV2, openapiV3Document, openapiV3Index } from './documents.ts'
