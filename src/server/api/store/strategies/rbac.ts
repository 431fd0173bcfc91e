// rbac.authorization.k8s.io writes refuse privilege escalation (upstream's role and binding REST
// wrappers): checked on create and whenever the granted rules, roleRef or subjects change, dry runs too.
import { forbidden } from '../../../../shared/errors.ts'
import { escalationError } from '../../../auth/rbac-escalation.ts'
import type { RbacSource } from '../../../auth/types.ts'
import type { KubeObject } from '../../../registry/types.ts'
import { deepEqual } from '../../patch/json-value.ts'
import { type KindStrategy, noExtras } from '../kind-strategy.ts'

const GROUP = 'rbac.authorization.k8s.io'

function grantsChanged(obj: KubeObject, old: KubeObject | undefined): boolean {
  if (!old) return true
  return (
    !deepEqual(obj.rules ?? null, old.rules ?? null) ||
    !deepEqual(obj.roleRef ?? null, old.roleRef ?? null) ||
    !deepEqual(obj.subjects ?? null, old.subjects ?? null)
  )
}

function escalationGuard(source: RbacSource, resource: string): KindStrategy {
  return {
    async extras(op, obj, old, ctx) {
      if (op !== 'delete' && obj && ctx?.user && grantsChanged(obj, old)) {
        const why = escalationError(source, ctx.user, resource, obj)
        if (why) throw forbidden(why)
      }
      return noExtras()
    },
  }
}

/** Strategies keyed `group/plural`, over the RBAC objects the authorizer reads. */
export function rbacStrategies(source: RbacSource): Record<string, KindStrategy> {
  const out: Record<string, KindStrategy> = {}
  for (const r of ['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings'])
    out[`${GROUP}/${r}`] = escalationGuard(source, r)
  return out
}
