// batch/v1: Jobs and CronJobs.

import { cronJobDefaults, jobDefaults } from '../defaults/workloads.ts'
import type { ResourceDef } from '../types.ts'
import { validateCronJob, validateJob } from '../validation/workloads.ts'
import { builtin } from './builtin.ts'

export const batchDefs = (): ResourceDef[] => [
  builtin('batch', 'v1', 'Job', 'jobs', true, {
    defaults: jobDefaults,
    validate: validateJob,
    categories: ['all'],
    subresources: { status: true },
    fieldSelectors: { 'status.successful': (o) => String(o.status?.succeeded ?? 0) },
  }),
  builtin('batch', 'v1', 'CronJob', 'cronjobs', true, {
    shortNames: ['cj'],
    defaults: cronJobDefaults,
    validate: validateCronJob,
    categories: ['all'],
    subresources: { status: true },
  }),
]
