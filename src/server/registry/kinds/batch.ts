// batch/v1: Jobs and CronJobs.

import { cronJobColumns, jobColumns } from '../columns/workloads.ts'
import { cronJobDefaults, jobDefaults } from '../defaults/workloads.ts'
import type { ResourceDef } from '../types.ts'
import { validateCronJob, validateJob } from '../validation/workloads.ts'
import { builtin } from './builtin.ts'

export const batchDefs = (): ResourceDef[] => [
  builtin('batch', 'v1', 'Job', 'jobs', true, {
    defaults: jobDefaults,
    columns: jobColumns,
    validate: validateJob,
    categories: ['all'],
    subresources: { status: true },
    fieldSelectors: { 'status.successful': (o) => String(o.status?.succeeded ?? 0) },
  }),
  builtin('batch', 'v1', 'CronJob', 'cronjobs', true, {
    shortNames: ['cj'],
    defaults: cronJobDefaults,
    columns: cronJobColumns,
    validate: validateCronJob,
    categories: ['all'],
    subresources: { status: true },
  }),
]
