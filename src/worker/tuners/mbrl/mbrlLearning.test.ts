// Learning, not just running (issue 5): with 100 real evaluations and seeds 0–4, mbrl's median regret
// is at most 0.7× that of uniform random search, on Branin and on Hartmann6.
import { describe, expect, it } from 'vitest'
import { learningCheck } from '../../../../test/helpers/learningCheck.ts'

describe('mbrl learns', () => {
  it.each(['branin', 'hartmann6'] as const)(
    '%s: median regret ≤ 0.7 × random search’s',
    async (name) => {
      const r = await learningCheck(name)
      console.log(
        `${name}: mbrl regrets ${r.mbrl.map((v) => v.toFixed(3)).join(' ')} (median ${r.mbrlMedian.toFixed(4)}), ` +
          `random ${r.random.map((v) => v.toFixed(3)).join(' ')} (median ${r.randomMedian.toFixed(4)}), ` +
          `ratio ${r.ratio.toFixed(2)}, ${r.seconds.toFixed(0)} s`,
      )
      expect(r.ratio).toBeLessThanOrEqual(0.7)
    },
    300_000,
  )
})
