// /openapi/v2 in protobuf (gnostic openapi.v2.Document), the only encoding kubectl accepts for it. kubectl
// falls back to v2 when a kind has no PATCH operation in the v3 document (create-only kinds such as
// SelfSubjectAccessReview or Binding) to decide whether the server validates fields; a document it cannot
// parse fails `kubectl create -f`. This one carries just what that check reads: one PATCH operation per
// patchable kind with its x-kubernetes-group-version-kind and the fieldValidation query parameter.
// Kinds absent from it (no PATCH) get client-side validation. Definitions are the JSON v2 document's, so
// `kubectl explain --output=plaintext-openapiv2` finds every kind.
import { ALL_VERBS, type ResourceDef } from '../../registry/types.ts'
import { writeDefinitions } from './openapi-v2-schema.ts'
import { ProtoWriter } from './proto-writer.ts'

/** What kubectl asks for (Accept) and what kube-apiserver answers (Content-Type: Go's mime parser
 * refuses the `@`, so the reply spells it with a dot). */
export const OPENAPI_V2_PROTOBUF_ACCEPT = 'application/com.github.proto-openapi.spec.v2'
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf'

// Field numbers from gnostic's openapiv2/OpenAPIv2.proto.
const DOC = { swagger: 1, info: 2, paths: 8, definitions: 9 }
const INFO = { title: 1, version: 2 }
const PATHS = { path: 2 }
const NAMED = { name: 1, value: 2 }
const PATH_ITEM = { patch: 8 }
const OPERATION = { operationId: 5, parameters: 8, vendorExtension: 13 }
const PARAMETERS_ITEM = { parameter: 1 }
const PARAMETER = { nonBody: 2 }
const NON_BODY = { query: 3 }
const QUERY = { in: 2, name: 4, type: 6 }
const ANY = { yaml: 2 }

const patchable = (d: ResourceDef) => (d.verbs ?? ALL_VERBS).includes('patch')

/** `definitions` (the JSON v2 document's) make `kubectl explain --output=plaintext-openapiv2` work. */
export function openapiV2Protobuf(
  defs: ResourceDef[],
  version: string,
  definitions: Record<string, Record<string, unknown>> = {},
): Uint8Array {
  const w = new ProtoWriter()
  w.string(DOC.swagger, '2.0')
  w.message(DOC.info, (i) => i.string(INFO.title, 'Kubernetes').string(INFO.version, version))
  w.message(DOC.paths, (paths) => {
    for (const d of defs.filter(patchable)) {
      const prefix = d.group ? `/apis/${d.group}/${d.version}` : `/api/${d.version}`
      const path = `${prefix}${d.namespaced ? '/namespaces/{namespace}' : ''}/${d.plural}/{name}`
      const gvk = `group: ${JSON.stringify(d.group)}\nkind: ${d.kind}\nversion: ${d.version}\n`
      paths.message(PATHS.path, (named) =>
        named.string(NAMED.name, path).message(NAMED.value, (item) =>
          item.message(PATH_ITEM.patch, (op) => {
            op.string(OPERATION.operationId, `patch${d.kind}`)
            for (const q of ['dryRun', 'fieldManager', 'fieldValidation', 'force']) {
              op.message(OPERATION.parameters, (pi) =>
                pi.message(PARAMETERS_ITEM.parameter, (p) =>
                  p.message(PARAMETER.nonBody, (nb) =>
                    nb.message(NON_BODY.query, (qs) =>
                      qs.string(QUERY.in, 'query').string(QUERY.name, q).string(QUERY.type, 'string'),
                    ),
                  ),
                ),
              )
            }
            op.message(OPERATION.vendorExtension, (ext) =>
              ext
                .string(NAMED.name, 'x-kubernetes-group-version-kind')
                .message(NAMED.value, (any) => any.string(ANY.yaml, gvk)),
            )
          }),
        ),
      )
    }
  })
  writeDefinitions(w, DOC.definitions, definitions)
  return w.finish()
}
