// Service ClusterIP and NodePort allocation (pure range math + datastore-backed claims).
export * from './allocation-store.ts'
export * from './ip-range.ts'
export * from './port-range.ts'
export * from './repair.ts'
