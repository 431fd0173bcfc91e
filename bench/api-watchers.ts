// Child of bench/api.ts: opens N watches on a collection and reports the events received, so the
// watch clients' parsing does not share a process with the create driver.
//   bun bench/api-watchers.ts <kubeconfig> <namespace> <resourceVersion> <count>
// Prints `ready` once every watch is open, then the event total on each line read from stdin.
import { credentialsFromKubeconfig, HttpClient } from '../src/server/client/http.ts'

const [kubeconfig, namespace, resourceVersion, count] = process.argv.slice(2)
const client = new HttpClient(credentialsFromKubeconfig(kubeconfig))
const ref = { group: '', version: 'v1', resource: 'configmaps', namespace }
let delivered = 0
const watches = Array.from({ length: Number(count) }, () =>
  client.watch(ref, { resourceVersion }, () => {
    delivered++
  }),
)
// No readiness signal on a watch: a short settle before saying ready.
await Bun.sleep(500)
console.log('ready')
for await (const _ of console) console.log(String(delivered))
for (const w of watches) w.stop()
