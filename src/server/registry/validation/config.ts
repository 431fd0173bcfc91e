// ConfigMap, Secret and Namespace validation (pkg/apis/core/validation).
import type { FieldError, KubeObject } from '../types.ts'
import { forbidden, immutable, invalid, required, tooLong } from './field-errors.ts'
import { configMapKey } from './names.ts'

const MAX_SIZE = 1024 * 1024
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

function keyChecks(data: Record<string, unknown> | undefined, field: string): FieldError[] {
  const errs: FieldError[] = []
  for (const k of Object.keys(data ?? {})) for (const e of configMapKey(k)) errs.push(invalid(`${field}[${k}]`, k, e))
  return errs
}

function immutableData(obj: KubeObject, old: KubeObject | undefined, fields: string[]): FieldError[] {
  if (!old?.immutable) return []
  const errs: FieldError[] = []
  if (!obj.immutable) errs.push(forbidden('immutable', 'field is immutable when `immutable` is set'))
  for (const f of fields)
    if (JSON.stringify(obj[f] ?? {}) !== JSON.stringify(old[f] ?? {}))
      errs.push(forbidden(f, 'field is immutable when `immutable` is set'))
  return errs
}

export function validateConfigMap(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = [...keyChecks(obj.data, 'data'), ...keyChecks(obj.binaryData, 'binaryData')]
  let size = 0
  for (const [k, v] of Object.entries(obj.data ?? {})) {
    size += String(v).length
    if (obj.binaryData && k in obj.binaryData)
      errs.push(invalid(`data[${k}]`, k, 'duplicate of key present in binaryData'))
  }
  for (const [k, v] of Object.entries(obj.binaryData ?? {})) {
    size += Math.floor((String(v).length * 3) / 4)
    // []byte on the wire: upstream's decoder refuses what is not base64
    if (typeof v !== 'string' || v.length % 4 !== 0 || !BASE64.test(v))
      errs.push(invalid(`binaryData[${k}]`, '<binary data>', 'illegal base64 data'))
  }
  if (size > MAX_SIZE) errs.push(tooLong('', MAX_SIZE))
  return errs.concat(immutableData(obj, old, ['data', 'binaryData']))
}

/** Keys each well-known Secret type must carry (pkg/apis/core/validation ValidateSecret). */
const REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
}

export function validateSecret(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = [...keyChecks(obj.data, 'data'), ...keyChecks(obj.stringData, 'stringData')]
  const keys = new Set([...Object.keys(obj.data ?? {}), ...Object.keys(obj.stringData ?? {})])
  const type = obj.type ?? 'Opaque'
  for (const k of REQUIRED_KEYS[type] ?? []) if (!keys.has(k)) errs.push(required(`data[${k}]`))
  if (
    type === 'kubernetes.io/service-account-token' &&
    !obj.metadata?.annotations?.['kubernetes.io/service-account.name']
  )
    errs.push(required('metadata.annotations[kubernetes.io/service-account.name]'))
  if (type === 'kubernetes.io/basic-auth' && !keys.has('username') && !keys.has('password'))
    errs.push(required('data[username]'), required('data[password]'))
  let size = 0
  for (const [k, v] of Object.entries(obj.data ?? {})) {
    size += Math.floor((String(v).length * 3) / 4)
    if (typeof v !== 'string' || v.length % 4 !== 0 || !BASE64.test(v))
      errs.push(invalid(`data[${k}]`, '<secret contents redacted>', 'illegal base64 data'))
  }
  if (size > MAX_SIZE) errs.push(tooLong('data', MAX_SIZE))
  if (old && (old.type ?? 'Opaque') !== type) errs.push(immutable('type', type))
  return errs.concat(immutableData(obj, old, ['data']))
}

export function validateNamespace(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = []
  for (const [i, f] of (obj.spec?.finalizers ?? []).entries())
    if (typeof f !== 'string' || !f) errs.push(required(`spec.finalizers[${i}]`))
  return errs
}
