// /metrics in the Prometheus text format (0.0.4), a small subset of kube-apiserver's: request counts and
// latencies by verb/resource, registered watchers and stored objects per resource, process figures.
// The hot path is one string key and a Map lookup per request; everything else happens at scrape time.

/** Upstream's apiserver_request_duration_seconds buckets. */
const BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60]

interface Series {
  labels: string
  /** per-bucket (non-cumulative) counts; the last slot is +Inf */
  buckets: Float64Array
  sum: number
  count: number
  codes: Map<number, number>
}

export interface RequestLabels {
  verb: string
  group?: string
  version?: string
  resource?: string
  subresource?: string
  scope?: string
}

/** Figures read at scrape time (watch caches, storage). */
export interface MetricsSources {
  /** per resource (`deployments.apps`): objects held and watchers registered */
  resources?(): { resource: string; objects: number; watchers: number }[]
}

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')

/** Upstream's verb label: LIST/WATCH for collection reads, APPLY for server-side apply, CONNECT for streams. */
export function metricVerb(method: string, verb: string | undefined, contentType: string | null): string {
  switch (verb) {
    case 'list':
      return 'LIST'
    case 'watch':
      return 'WATCH'
    case 'deletecollection':
      return 'DELETECOLLECTION'
    case 'patch':
      return contentType?.startsWith('application/apply-patch') ? 'APPLY' : 'PATCH'
  }
  if (method === 'GET' && verb === 'get') return 'GET'
  return method === 'HEAD' ? 'GET' : method
}

export class ApiMetrics {
  private series = new Map<string, Series>()
  private readonly startTime = Date.now() / 1000 - process.uptime()

  constructor(private sources: MetricsSources = {}) {}

  observe(l: RequestLabels, code: number, seconds: number): void {
    const key = `${l.verb}|${l.group ?? ''}|${l.version ?? ''}|${l.resource ?? ''}|${l.subresource ?? ''}|${l.scope ?? ''}`
    let s = this.series.get(key)
    if (!s) {
      s = {
        labels: `component="apiserver",group="${esc(l.group ?? '')}",resource="${esc(l.resource ?? '')}",scope="${l.scope ?? ''}",subresource="${esc(l.subresource ?? '')}",verb="${l.verb}",version="${esc(l.version ?? '')}"`,
        buckets: new Float64Array(BUCKETS.length + 1),
        sum: 0,
        count: 0,
        codes: new Map(),
      }
      this.series.set(key, s)
    }
    s.codes.set(code, (s.codes.get(code) ?? 0) + 1)
    // long-running requests (watches, streams) count but stay out of the latency histogram, as upstream
    if (l.verb === 'WATCH' || l.verb === 'CONNECT') return
    let i = 0
    while (i < BUCKETS.length && seconds > BUCKETS[i]!) i++
    s.buckets[i]!++
    s.sum += seconds
    s.count++
  }

  render(): string {
    const out: string[] = []
    const head = (name: string, type: string, help: string) =>
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`)
    head(
      'apiserver_request_total',
      'counter',
      '[STABLE] Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
    )
    for (const s of this.series.values())
      for (const [code, n] of s.codes) out.push(`apiserver_request_total{code="${code}",${s.labels}} ${n}`)
    head(
      'apiserver_request_duration_seconds',
      'histogram',
      '[STABLE] Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
    )
    for (const s of this.series.values()) {
      if (!s.count) continue
      let cum = 0
      for (let i = 0; i < BUCKETS.length; i++) {
        cum += s.buckets[i]!
        out.push(`apiserver_request_duration_seconds_bucket{${s.labels},le="${BUCKETS[i]}"} ${cum}`)
      }
      out.push(`apiserver_request_duration_seconds_bucket{${s.labels},le="+Inf"} ${s.count}`)
      out.push(`apiserver_request_duration_seconds_sum{${s.labels}} ${s.sum}`)
      out.push(`apiserver_request_duration_seconds_count{${s.labels}} ${s.count}`)
    }
    const resources = this.sources.resources?.() ?? []
    head(
      'apiserver_registered_watchers',
      'gauge',
      '[ALPHA] Number of currently registered watchers for a given resource.',
    )
    for (const r of resources) out.push(`apiserver_registered_watchers{resource="${esc(r.resource)}"} ${r.watchers}`)
    head(
      'apiserver_storage_objects',
      'gauge',
      '[STABLE] Number of stored objects at the time of last check split by kind.',
    )
    for (const r of resources) out.push(`apiserver_storage_objects{resource="${esc(r.resource)}"} ${r.objects}`)
    const mem = process.memoryUsage()
    const cpu = process.cpuUsage()
    head('process_cpu_seconds_total', 'counter', 'Total user and system CPU time spent in seconds.')
    out.push(`process_cpu_seconds_total ${(cpu.user + cpu.system) / 1e6}`)
    head('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.')
    out.push(`process_resident_memory_bytes ${mem.rss}`)
    head('process_start_time_seconds', 'gauge', 'Start time of the process since unix epoch in seconds.')
    out.push(`process_start_time_seconds ${this.startTime.toFixed(3)}`)
    return `${out.join('\n')}\n`
  }
}

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'
