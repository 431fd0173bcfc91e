// The opaque `continue` token of paged lists, shaped as upstream's (base64 JSON {v, rv, start}):
// the revision the first page was read at and the key to resume after.
import { badRequest } from '../../../shared/errors.ts'

export interface ContinueToken {
  /** revision every page is read at */
  rv: number
  /** key relative to the resource prefix; the next page starts strictly after it */
  start: string
}

export function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: t.rv, start: t.start })).toString('base64url')
}

export function decodeContinue(token: string): ContinueToken {
  try {
    const raw = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))
    if (raw?.v !== 'meta.k8s.io/v1' || !Number.isInteger(raw.rv) || raw.rv <= 0 || typeof raw.start !== 'string')
      throw new Error('bad shape')
    if (raw.start.includes('..') || raw.start.startsWith('/')) throw new Error('bad key')
    return { rv: raw.rv, start: raw.start }
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)')
  }
}
