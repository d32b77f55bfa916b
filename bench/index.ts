// `npm run bench -- NAME... [--flags]`: runs bench/NAME.bench.ts (each writes bench/results/*.json); no name lists them.
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const dir = path.dirname(fileURLToPath(import.meta.url))
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .sort()
const args = process.argv.slice(2)
// Names come first; everything from the first flag on (`--quick`, `--reps 3`) goes to each benchmark.
const firstFlag = args.findIndex((a) => a.startsWith('-'))
const named = firstFlag < 0 ? args : args.slice(0, firstFlag)
const flags = firstFlag < 0 ? [] : args.slice(firstFlag)
const names = named.length ? named : available.filter((n) => n === 'engine' || n === 'store')
if (!named.length)
  console.log(
    `benchmarks: ${available.join(', ')} (npm run bench -- NAME...); running: ${names.join(', ') || 'none'}`,
  )
for (const name of names) {
  if (!available.includes(name)) {
    console.error(`unknown benchmark "${name}"; available: ${available.join(', ')}`)
    process.exit(2)
  }
  console.log(`\n== ${name} ==`)
  const mod = (await import(path.join(dir, `${name}.bench.ts`))) as {
    default: (args: string[]) => Promise<void>
  }
  await mod.default(flags)
}
