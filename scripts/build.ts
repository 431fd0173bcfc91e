// Compiles the single kubun executable for linux-x64 and linux-arm64 into dist/.
// Usage: bun scripts/build.ts [--target x64|arm64] (default: both)
import { $ } from 'bun'

const all = { x64: 'bun-linux-x64', arm64: 'bun-linux-arm64' } as const
const i = process.argv.indexOf('--target')
const wanted = i > 0 ? [process.argv[i + 1] as keyof typeof all] : (Object.keys(all) as (keyof typeof all)[])

for (const arch of wanted) {
  if (!all[arch]) throw new Error(`unknown --target ${arch}; use x64 or arm64`)
  const out = arch === 'x64' ? 'dist/kubun' : 'dist/kubun-arm64'
  const t0 = performance.now()
  await $`bun build --compile --minify --sourcemap --target=${all[arch]} src/main.ts --outfile ${out}`.quiet()
  const size = (await Bun.file(out).size) / 2 ** 20
  console.log(`built ${out} (${arch}, ${size.toFixed(1)} MiB) in ${((performance.now() - t0) / 1000).toFixed(1)}s`)
}
