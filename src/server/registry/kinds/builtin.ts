// Shared constructor for built-in ResourceDefs: fills the upstream schema and the default name rules.
import { kindSchema } from '../schemas/index.ts'
import type { ResourceDef, Verb } from '../types.ts'
import { validateObjectMeta } from '../validation/object-meta.ts'

type Opts = Omit<ResourceDef, 'group' | 'version' | 'kind' | 'plural' | 'singular' | 'namespaced'> & {
  singular?: string
  /** name rule: 'subdomain' (default), 'label' (DNS-1123 label), 'dns1035' (label starting with a letter),
   * 'path' (any path segment), 'none' */
  nameRule?: 'subdomain' | 'label' | 'dns1035' | 'path' | 'none'
}

export function builtin(
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  opts: Opts = {},
): ResourceDef {
  const { nameRule = 'subdomain', validate, singular, ...rest } = opts
  return {
    group,
    version,
    kind,
    plural,
    singular: singular ?? kind.toLowerCase(),
    namespaced,
    schema: kindSchema(group, version, kind),
    ...rest,
    validate(obj, old) {
      const errs = validateObjectMeta(obj, { namespaced, nameRule, old })
      return validate ? errs.concat(validate(obj, old)) : errs
    },
  }
}

/** Read-only-ish API like authorization reviews: create only, never stored. */
export const CREATE_ONLY: Verb[] = ['create']
/** Namespaces and a few others lack deletecollection upstream. */
export const NO_DELETECOLLECTION: Verb[] = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']
