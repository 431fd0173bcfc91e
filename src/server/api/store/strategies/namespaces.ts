// pkg/registry/core/namespace: a namespace is born Active with the `kubernetes` finalizer in
// spec.finalizers; deleting marks it Terminating and it goes only once the namespace controller has
// emptied it and cleared spec.finalizers through the finalize subresource.
import { forbidden } from '../../../../shared/errors.ts'
import type { KindStrategy } from '../kind-strategy.ts'

// upstream's NamespaceLifecycle admission keeps these forever
const IMMORTAL = new Set(['default', 'kube-system', 'kube-public'])

export const namespaceStrategy: KindStrategy = {
  prepareCreate(obj) {
    obj.status = { phase: 'Active' }
    const fin: string[] = obj.spec?.finalizers ?? []
    obj.spec = { ...obj.spec, finalizers: fin.includes('kubernetes') ? fin : [...fin, 'kubernetes'] }
  },
  prepareUpdate(obj, old) {
    // spec.finalizers change only through /finalize
    obj.spec = { ...obj.spec, finalizers: old.spec?.finalizers }
    if (!old.spec?.finalizers) delete obj.spec.finalizers
  },
  pendingFinalizers: (obj) => obj.spec?.finalizers ?? [],
  checkDelete(obj) {
    const name = obj.metadata?.name ?? ''
    if (IMMORTAL.has(name)) throw forbidden(`namespaces "${name}" is forbidden: this namespace may not be deleted`)
  },
  markDeleting(obj) {
    obj.status = { ...obj.status, phase: 'Terminating' }
  },
}
