// batch/v1: Jobs and CronJobs.
import type { ResourceDef } from '../types.ts'
import { builtin } from './builtin.ts'

export const batchDefs = (): ResourceDef[] => [
  builtin('batch', 'v1', 'Job', 'jobs', true, {
    categories: ['all'],
    subresources: { status: true },
    fieldSelectors: { 'status.successful': (o) => String(o.status?.succeeded ?? 0) },
  }),
  builtin('batch', 'v1', 'CronJob', 'cronjobs', true, {
    shortNames: ['cj'],
    categories: ['all'],
    subresources: { status: true },
  }),
]
