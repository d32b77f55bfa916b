import { describe, expect, it } from 'vitest'
import type { PrunerTrial } from '../../../shared/pruner.ts'
import { createRng } from '../../../shared/rng.ts'
import {
  createSuccessiveHalvingPruner,
  isPromotable,
  successiveHalvingDecision,
  type SuccessiveHalvingOptions,
} from './successiveHalvingPruner.ts'

const defaults: SuccessiveHalvingOptions = {
  minResource: 1,
  reductionFactor: 3,
  minEarlyStoppingRate: 0,
  warmupSteps: 0,
  minTrials: 0,
}
const curve = (
  number: number,
  points: [number, number][],
  state: PrunerTrial['state'] = 'running',
) => ({
  number,
  state,
  intermediate: points.map(([step, value]) => ({ step, value })),
})

describe('asynchronous successive halving', () => {
  it.each([2, 3, 4])('promotes exactly the top 1/η of a rung (η = %i)', (eta) => {
    // 36 trials have all reached rung 0 (step 1), values shuffled; judged against all the others,
    // exactly ⌊36/η⌋ of them continue: the best ones.
    const rng = createRng(eta)
    const values = Array.from({ length: 36 }, (_, i) => i + 1)
    for (let i = values.length - 1; i > 0; i--) {
      const j = rng.int(i + 1)
      ;[values[i], values[j]] = [values[j], values[i]]
    }
    const trials = values.map((v, n) => curve(n, [[1, v]]))
    const opts = { ...defaults, reductionFactor: eta }
    const promoted = trials.filter(
      (t) =>
        !successiveHalvingDecision(
          t,
          trials.filter((o) => o !== t),
          opts,
          'minimize',
        ),
    )
    expect(promoted).toHaveLength(Math.floor(36 / eta))
    expect(promoted.map((t) => t.intermediate[0].value).sort((a, b) => a - b)).toEqual(
      values
        .slice()
        .sort((a, b) => a - b)
        .slice(0, Math.floor(36 / eta)),
    )
    const maximized = trials.filter(
      (t) =>
        !successiveHalvingDecision(
          t,
          trials.filter((o) => o !== t),
          opts,
          'maximize',
        ),
    )
    expect(maximized.map((t) => t.intermediate[0].value).sort((a, b) => b - a)).toEqual(
      values
        .slice()
        .sort((a, b) => b - a)
        .slice(0, Math.floor(36 / eta)),
    )
  })

  it('promotes only the best while fewer than η trials have reached the rung (as Optuna)', () => {
    expect(isPromotable(2, [2, 5], 3, 'minimize')).toBe(true)
    expect(isPromotable(5, [2, 5], 3, 'minimize')).toBe(false)
    expect(isPromotable(5, [2, 5], 3, 'maximize')).toBe(true)
  })

  it('judges only at rung steps minResource·η^(rate + rung), with the value where the trial entered the rung', () => {
    const pruner = createSuccessiveHalvingPruner(defaults)
    const others = [1, 2, 3, 4, 5, 6].map((n) =>
      curve(
        n,
        [1, 2, 3, 4, 5, 6, 7, 8, 9].map((s) => [s, n / s] as [number, number]),
        'complete',
      ),
    )
    const bad = (steps: number) =>
      curve(
        0,
        Array.from({ length: steps }, (_, i) => [i + 1, 100] as [number, number]),
      )
    const ctx = (t: PrunerTrial) => ({ direction: 'minimize' as const, trials: [...others, t] })
    expect(pruner.shouldPrune(bad(1), ctx(bad(1)))).toBe(true) // rung 0 at step 1
    expect(pruner.shouldPrune(bad(2), ctx(bad(2)))).toBe(false) // no rung at step 2
    expect(pruner.shouldPrune(bad(3), ctx(bad(3)))).toBe(true) // rung 1 at step 3
    const late = createSuccessiveHalvingPruner({ ...defaults, minEarlyStoppingRate: 1 })
    expect(late.shouldPrune(bad(1), ctx(bad(1)))).toBe(false) // first rung now at step 3
    expect(late.shouldPrune(bad(3), ctx(bad(3)))).toBe(true)
    // a jump from step 1 to step 10 crosses rungs 1 (step 3) and 2 (step 9) at once
    const jumper = curve(0, [
      [1, 0.1],
      [10, 0.01],
    ])
    expect(pruner.shouldPrune(jumper, ctx(jumper))).toBe(false)
  })

  it('with minTrials, never prunes at a rung fewer than that many other trials have reached', () => {
    const others = [curve(1, [[1, 0.1]], 'complete'), curve(2, [[1, 0.2]], 'complete')]
    const bad = curve(3, [[1, 5]])
    const ctx = { direction: 'minimize' as const, trials: [...others, bad] }
    expect(createSuccessiveHalvingPruner(defaults).shouldPrune(bad, ctx)).toBe(true)
    expect(createSuccessiveHalvingPruner({ ...defaults, minTrials: 3 }).shouldPrune(bad, ctx)).toBe(
      false,
    )
  })

  it('prunes a NaN at a rung', () => {
    const t = curve(0, [[1, NaN]])
    expect(
      createSuccessiveHalvingPruner(defaults).shouldPrune(t, {
        direction: 'minimize',
        trials: [t],
      }),
    ).toBe(true)
  })
})
