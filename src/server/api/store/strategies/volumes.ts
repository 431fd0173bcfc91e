// PersistentVolumes and claims start Pending (upstream's PrepareForCreate resets status to the
// Pending phase); the volume controllers move them on through the status subresource.
import type { KindStrategy } from '../kind-strategy.ts'

export const pendingPhase: KindStrategy = {
  prepareCreate(obj) {
    obj.status = { phase: 'Pending' }
  },
}
