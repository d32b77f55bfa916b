import { createMbrlTuner } from './mbrlTuner.ts'
import { runOnSynthetic } from './runOnSynthetic.ts'
const kind = process.argv[2] as 'mbrl'
const options = JSON.parse(process.argv[3] ?? '{}')
const fns = (process.argv[4] ?? 'branin,hartmann6').split(',') as 'branin'[]
const seeds = (process.argv[5] ?? '0,1,2,3,4').split(',').map(Number)
for (const fn of fns) {
  const regrets: number[] = []
  const t0 = performance.now()
  for (const seed of seeds) {
    const r = await runOnSynthetic(
      fn,
      (space, s) => createMbrlTuner({ space, seed: s, direction: 'minimize', options, kind }),
      seed,
      100,
    )
    regrets.push(r.regret)
  }
  const med = [...regrets].sort((a, b) => a - b)[Math.floor(regrets.length / 2)]
  console.log(
    kind,
    JSON.stringify(options),
    fn,
    'median',
    med.toFixed(4),
    'regrets',
    regrets.map((r) => r.toFixed(3)).join(' '),
    `${((performance.now() - t0) / 1000).toFixed(0)}s`,
  )
}
