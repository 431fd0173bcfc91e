// Child process for the SQLite driver's crash and locking tests (see sqlite-backend.test.ts).
//   bun store-child.fixture.ts write <db>   put keys forever, print "ack <key> <rev>" per acknowledged write
//   bun store-child.fixture.ts open <db>    open, print "opened" or "error <name>: <message>", then wait
import { openBackend } from '../index.ts'
import { encode } from '../ops.ts'

const [mode, path] = process.argv.slice(2)
const store = openBackend(`sqlite://${path}`, { compactIntervalMs: 0 })
try {
  await store.start()
} catch (err) {
  const e = err as Error
  console.log(`error ${e.name}: ${e.message}`)
  process.exit(3)
}
if (mode === 'open') {
  console.log('opened')
  setInterval(() => {}, 1000)
} else {
  // Several writers at once, so acknowledged writes span group commits as well as single ones.
  let n = 0
  const writer = async () => {
    for (;;) {
      const key = `/crash/${n++}`
      const r = await store.txn({
        compare: [],
        success: [{ type: 'put', key, value: encode(`v-${key}`) }],
        failure: [],
      })
      process.stdout.write(`ack ${key} ${r.revision}\n`)
    }
  }
  await Promise.all([writer(), writer(), writer(), writer()])
}
