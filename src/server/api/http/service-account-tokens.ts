// ServiceAccount tokens as kube-apiserver's TokenRequest API issues them: ES256 JWTs signed with the
// PKI's sa.key, claims `iss`, `sub` = system:serviceaccount:NS:NAME, `aud`, `exp`, and the
// `kubernetes.io` claim naming the ServiceAccount (and uid). The authenticator accepts a token only while
// that ServiceAccount still exists with the same uid, so deleting it revokes its tokens.
import { randomUUID } from 'node:crypto'
import { importPKCS8, importSPKI, jwtVerify, SignJWT } from 'jose'
import { badRequest } from '../../../shared/errors.ts'
import type { TokenAuthenticator } from '../../auth/types.ts'
import { serviceAccountUser } from '../../auth/users.ts'
import type { KubeObject } from '../../registry/types.ts'
import { decodeObject, type ProtobufDecoder, readBody } from './decode-body.ts'
import { serviceAccountKeyId } from './oidc-discovery.ts'
import { jsonResponse } from './respond.ts'
import { type BoundObjectLookup, bindingClaims, bindingStillValid } from './token-binding.ts'
import type { SubresourceHandler } from './types.ts'

export const SA_ISSUER = 'https://kubernetes.default.svc.cluster.local'
const DEFAULT_EXPIRATION = 3600
const MIN_EXPIRATION = 600
const MAX_EXPIRATION = 48 * 3600

export interface ServiceAccountKeys {
  keyPem: string
  pubPem: string
}

/** Looks a ServiceAccount up (the watch cache, synchronously). */
export type ServiceAccountLookup = (namespace: string, name: string) => KubeObject | undefined

const noObjects: BoundObjectLookup = () => undefined

export function serviceAccountTokenHandler(
  keys: ServiceAccountKeys,
  protobuf?: ProtobufDecoder,
  lookupBound: BoundObjectLookup = noObjects,
): SubresourceHandler {
  const key = importPKCS8(keys.keyPem, 'ES256')
  // the JWKS at /openid/v1/jwks names the key by this id
  const kid = serviceAccountKeyId(keys.pubPem)
  return async ({ req, info, store, ctx }) => {
    if (info.verb !== 'create') return undefined
    const sa = await store.get(info.namespace, info.name!, ctx)
    const bytes = await readBody(req)
    const body = (
      bytes.byteLength ? decodeObject(bytes, req.headers.get('content-type'), protobuf).value : {}
    ) as KubeObject
    const spec = body.spec ?? {}
    let seconds = Number(spec.expirationSeconds ?? DEFAULT_EXPIRATION)
    if (!Number.isInteger(seconds) || seconds < MIN_EXPIRATION) {
      throw badRequest(
        `spec.expirationSeconds: Invalid value: ${spec.expirationSeconds}: may not specify a duration less than 10 minutes`,
      )
    }
    seconds = Math.min(seconds, MAX_EXPIRATION)
    const audiences: string[] = spec.audiences?.length ? spec.audiences : [SA_ISSUER]
    const now = Math.floor(Date.now() / 1000)
    const ns = sa.metadata!.namespace!
    const name = sa.metadata!.name!
    const bound = bindingClaims(spec.boundObjectRef, name, ns, lookupBound)
    const token = await new SignJWT({
      'kubernetes.io': { namespace: ns, ...bound, serviceaccount: { name, uid: sa.metadata?.uid } },
    })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid })
      .setIssuer(SA_ISSUER)
      .setSubject(`system:serviceaccount:${ns}:${name}`)
      .setAudience(audiences)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + seconds)
      .setJti(randomUUID())
      .sign(await key)
    const status = {
      token,
      expirationTimestamp: new Date((now + seconds) * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
    }
    return jsonResponse(
      {
        kind: 'TokenRequest',
        apiVersion: 'authentication.k8s.io/v1',
        metadata: { name, namespace: ns, creationTimestamp: null },
        spec: { ...spec, audiences, expirationSeconds: seconds, boundObjectRef: spec.boundObjectRef ?? null },
        status,
      },
      201,
    )
  }
}

export function serviceAccountTokenAuthenticator(
  keys: ServiceAccountKeys,
  lookup: ServiceAccountLookup,
  lookupBound: BoundObjectLookup = noObjects,
): TokenAuthenticator {
  const pub = importSPKI(keys.pubPem, 'ES256')
  return {
    async authenticate(token) {
      // Not a JWT: some other authenticator's token.
      if (token.split('.').length !== 3) return undefined
      const { payload } = await jwtVerify(token, await pub, {
        issuer: SA_ISSUER,
        audience: SA_ISSUER,
        algorithms: ['ES256'],
      })
      const claim = (payload as any)['kubernetes.io']
      const ns = claim?.namespace
      const name = claim?.serviceaccount?.name
      if (!ns || !name) return undefined
      const sa = lookup(ns, name)
      if (!sa || (claim.serviceaccount.uid && sa.metadata?.uid !== claim.serviceaccount.uid)) return undefined
      // a token bound to a Pod/Secret/Node dies with that object
      if (!bindingStillValid(claim, ns, lookupBound)) return undefined
      return serviceAccountUser(ns, name, sa.metadata?.uid)
    },
  }
}
