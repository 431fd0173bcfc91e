// Watch caches: one per resource prefix, all fed by one datastore watch (RevisionFeed).
export { type CacheWatchEvent, CacheWatcher } from './cache-watcher.ts'
export { type CachedEvent, EventRing } from './event-ring.ts'
export { RevisionFeed } from './revision-feed.ts'
export { type CacheWatchRequest, WatchCache, type WatchCacheOptions } from './watch-cache.ts'
