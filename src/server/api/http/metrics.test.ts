import { describe, expect, test } from 'bun:test'
import { ApiMetrics, metricVerb } from './metrics.ts'

describe('/metrics', () => {
  test.each([
    ['GET', 'list', null, 'LIST'],
    ['GET', 'watch', null, 'WATCH'],
    ['GET', 'get', null, 'GET'],
    ['POST', 'create', 'application/json', 'POST'],
    ['PATCH', 'patch', 'application/apply-patch+yaml', 'APPLY'],
    ['PATCH', 'patch', 'application/merge-patch+json', 'PATCH'],
    ['DELETE', 'deletecollection', null, 'DELETECOLLECTION'],
  ])('%s %s (%s) is verb %s', (method, verb, type, want) => {
    expect(metricVerb(method, verb, type)).toBe(want)
  })

  test('counts by code, a cumulative histogram, per-resource gauges and process figures', () => {
    const m = new ApiMetrics({ resources: () => [{ resource: 'deployments.apps', objects: 3, watchers: 2 }] })
    const l = { verb: 'LIST', group: 'apps', version: 'v1', resource: 'deployments', scope: 'namespace' }
    m.observe(l, 200, 0.001)
    m.observe(l, 200, 0.3)
    m.observe(l, 403, 0.001)
    m.observe({ ...l, verb: 'WATCH' }, 200, 30)
    const text = m.render()
    const labels =
      'component="apiserver",group="apps",resource="deployments",scope="namespace",subresource="",verb="LIST",version="v1"'
    expect(text).toContain(`apiserver_request_total{code="200",${labels}} 2`)
    expect(text).toContain(`apiserver_request_total{code="403",${labels}} 1`)
    expect(text).toContain(`apiserver_request_duration_seconds_bucket{${labels},le="0.005"} 2`)
    expect(text).toContain(`apiserver_request_duration_seconds_bucket{${labels},le="0.4"} 3`)
    expect(text).toContain(`apiserver_request_duration_seconds_bucket{${labels},le="+Inf"} 3`)
    expect(text).toContain(`apiserver_request_duration_seconds_count{${labels}} 3`)
    // a watch is counted but stays out of the latency histogram
    expect(text).toMatch(/apiserver_request_total\{code="200",[^}]*verb="WATCH"[^}]*\} 1/)
    expect(text).not.toMatch(/duration_seconds_count\{[^}]*verb="WATCH"/)
    expect(text).toContain('apiserver_storage_objects{resource="deployments.apps"} 3')
    expect(text).toContain('apiserver_registered_watchers{resource="deployments.apps"} 2')
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m)
    expect(text).toMatch(/^process_start_time_seconds \d+\.\d+$/m)
    expect(text).toContain('# TYPE apiserver_request_duration_seconds histogram')
  })
})
