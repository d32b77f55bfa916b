import { createRng } from '../../../shared/rng.ts'
import { sampleConfig } from '../../../shared/spaceCodec.ts'
import { createMbrlTuner } from './mbrlTuner.ts'
import { runOnSynthetic } from './runOnSynthetic.ts'
const kind = (process.argv[2] ?? 'mbrl') as 'mbrl'
for (const fn of ['branin', 'hartmann6'] as const) {
  const regrets: number[] = []
  const rand: number[] = []
  for (let seed = 0; seed < 5; seed++) {
    const t0 = performance.now()
    const r = await runOnSynthetic(
      fn,
      (space, s) => createMbrlTuner({ space, seed: s, direction: 'minimize', options: {}, kind }),
      seed,
      100,
    )
    const snap = null
    console.log(
      fn,
      seed,
      'regret',
      r.regret.toFixed(4),
      'ms',
      (performance.now() - t0).toFixed(0),
      snap,
    )
    regrets.push(r.regret)
    const rr = await runOnSynthetic(
      fn,
      (space, s) => {
        const rng = createRng(s)
        return {
          ask: async () => ({ params: sampleConfig(space, rng) }),
          tell: async () => {},
          saveState: () => new Uint8Array(),
          loadState: () => {},
        }
      },
      seed,
      100,
    )
    rand.push(rr.regret)
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[2]
  console.log(fn, kind, 'median', med(regrets).toFixed(4), 'random', med(rand).toFixed(4))
}
