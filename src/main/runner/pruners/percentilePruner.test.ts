import { describe, expect, it } from 'vitest'
import type { PrunerTrial } from '../../../shared/pruner.ts'
import { createMedianPruner } from './medianPruner.ts'
import { createPatientPruner } from './patientPruner.ts'
import { createPercentilePruner } from './percentilePruner.ts'

const curve = (number: number, values: number[], state: PrunerTrial['state'] = 'running') => ({
  number,
  state,
  intermediate: values.map((value, i) => ({ step: i, value })),
})
const done = [1, 2, 3, 4, 5].map((v, i) => curve(i, [v * 10, v], 'complete'))

describe('median and percentile pruners', () => {
  it('prune when the best value so far is worse than the median at the same step', () => {
    const median = createMedianPruner({ warmupSteps: 0, minTrials: 5 })
    const ctx = (t: PrunerTrial) => ({ direction: 'minimize' as const, trials: [...done, t] })
    expect(median.shouldPrune(curve(9, [99, 3.5]), ctx(curve(9, [99, 3.5])))).toBe(true)
    expect(median.shouldPrune(curve(9, [99, 2.5]), ctx(curve(9, [99, 2.5])))).toBe(false)
    // the best over steps counts: an earlier 2 keeps the trial although its latest value is 4
    expect(median.shouldPrune(curve(9, [2, 4]), ctx(curve(9, [2, 4])))).toBe(false)
    expect(median.shouldPrune(curve(9, [NaN, NaN]), ctx(curve(9, [NaN, NaN])))).toBe(true)
  })

  it('wait for minTrials complete trials and for warmupSteps', () => {
    const t = curve(9, [99, 4.5])
    expect(
      createMedianPruner({ warmupSteps: 0, minTrials: 6 }).shouldPrune(t, {
        direction: 'minimize',
        trials: [...done, t],
      }),
    ).toBe(false)
    expect(
      createMedianPruner({ warmupSteps: 2, minTrials: 5 }).shouldPrune(t, {
        direction: 'minimize',
        trials: [...done, t],
      }),
    ).toBe(false)
  })

  it('interpolate percentiles like numpy, mirrored for maximize', () => {
    const p25 = createPercentilePruner({ percentile: 25, warmupSteps: 0, minTrials: 1 })
    // step 1 values 1..5: 25th percentile = 2 (minimize); maximize uses the 75th = 4
    const t = (v: number) => curve(9, [-1e9, v])
    const minCtx = (x: PrunerTrial) => ({ direction: 'minimize' as const, trials: [...done, x] })
    expect(p25.shouldPrune(curve(9, [99, 2.1]), minCtx(curve(9, [99, 2.1])))).toBe(true)
    expect(p25.shouldPrune(curve(9, [99, 2]), minCtx(curve(9, [99, 2])))).toBe(false)
    const maxCtx = (x: PrunerTrial) => ({ direction: 'maximize' as const, trials: [...done, x] })
    expect(p25.shouldPrune(t(3.9), maxCtx(t(3.9)))).toBe(true)
    expect(p25.shouldPrune(t(4), maxCtx(t(4)))).toBe(false)
  })
})

describe('patient pruner', () => {
  it('prunes only when the last patience+1 steps are all worse than the best before them by minDelta', () => {
    const p = createPatientPruner({ patience: 2, minDelta: 0 }, null)
    const judge = (values: number[], direction: 'minimize' | 'maximize' = 'minimize') => {
      const t = curve(0, values)
      return p.shouldPrune(t, { direction, trials: [t] })
    }
    expect(judge([3, 4, 4, 4])).toBe(true)
    expect(judge([5, 4, 3, 3, 3])).toBe(false)
    expect(judge([3, 4, 4])).toBe(false) // not enough steps yet
    expect(judge([-3, -4, -4, -4], 'maximize')).toBe(true)
    const tolerant = createPatientPruner({ patience: 2, minDelta: 2 }, null)
    const t = curve(0, [3, 4, 4, 4])
    expect(tolerant.shouldPrune(t, { direction: 'minimize', trials: [t] })).toBe(false)
  })

  it('defers to its inner pruner once patience runs out', () => {
    const never = { shouldPrune: () => false }
    const t = curve(0, [3, 4, 4, 4])
    expect(
      createPatientPruner({ patience: 2, minDelta: 0 }, never).shouldPrune(t, {
        direction: 'minimize',
        trials: [t],
      }),
    ).toBe(false)
  })
})
