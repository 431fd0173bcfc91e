// batch/v1 Jobs (pkg/registry/batch/job/strategy.go): the selector and the controller-uid/job-name
// template labels are generated in PrepareForCreate, once the uid exists — the registry's defaults run
// before it is assigned.
import { jobDefaults } from '../../../registry/defaults/workloads.ts'
import type { KindStrategy } from '../kind-strategy.ts'

export const jobStrategy: KindStrategy = {
  prepareCreate(obj) {
    delete obj.status
    jobDefaults(obj)
  },
}
