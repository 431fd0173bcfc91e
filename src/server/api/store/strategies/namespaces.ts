// pkg/registry/core/namespace: a namespace is born Active with the `kubernetes` finalizer in
// spec.finalizers; deleting marks it Terminating and it goes only once the namespace controller has
// emptied it and cleared spec.finalizers through the finalize subresource.
import type { KindStrategy } from '../kind-strategy.ts'

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
  markDeleting(obj) {
    obj.status = { ...obj.status, phase: 'Terminating' }
  },
}
