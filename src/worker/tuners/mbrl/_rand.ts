import { learningCheck, uniformRandom, LEARNING_SEEDS } from './learningCheck.ts'
import { runOnSynthetic } from './runOnSynthetic.ts'
for (const fn of ['branin', 'hartmann6', 'hartmann3', 'mixed'] as const) {
  const r: number[] = []
  for (const s of LEARNING_SEEDS) r.push((await runOnSynthetic(fn, uniformRandom, s, 100)).regret)
  console.log(
    fn,
    r.map((x) => x.toFixed(3)).join(' '),
    'median',
    [...r].sort((a, b) => a - b)[2].toFixed(4),
  )
}
void learningCheck
