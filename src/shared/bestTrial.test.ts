import { describe, expect, it } from 'vitest'
import { bestTrial, bestTrials, ranksForBest } from './bestTrial.ts'
import type { TrialRecord, TrialState } from './trial.ts'

const t = (number: number, state: TrialState, value: number | null) => ({ number, state, value })

describe('bestTrial', () => {
  const trials = [
    t(0, 'complete', 3),
    t(1, 'pruned', 0.5),
    t(2, 'complete', 1),
    t(3, 'failed', null),
    t(4, 'complete', 7),
    t(5, 'running', 0),
  ]

  it('picks the lowest value when minimizing and the highest when maximizing, complete trials only', () => {
    expect(bestTrial('minimize', trials)?.number).toBe(2)
    expect(bestTrial('maximize', trials)?.number).toBe(4)
  })

  it('gives a tie to the lower trial number, whatever the order it is listed in', () => {
    const tied = [t(6, 'complete', 1), t(2, 'complete', 1), t(9, 'complete', 1)]
    expect(bestTrial('minimize', tied)?.number).toBe(2)
    expect(bestTrial('maximize', tied)?.number).toBe(2)
  })

  it('never ranks a non-finite value and is null without a complete trial', () => {
    expect(ranksForBest(t(0, 'complete', Infinity))).toBe(false)
    expect(bestTrial('maximize', [t(0, 'complete', Infinity), t(1, 'complete', 2)])?.number).toBe(1)
    expect(bestTrial('minimize', [t(0, 'pruned', 1), t(1, 'failed', null)])).toBeNull()
    expect(bestTrial('minimize', [])).toBeNull()
  })

  it('never ranks a trial that broke a constraint', () => {
    const trials = [
      { ...t(0, 'complete', 0), feasible: false },
      { ...t(1, 'complete', 5), feasible: true },
    ]
    expect(bestTrial('minimize', trials)?.number).toBe(1)
  })
})

describe('bestTrials', () => {
  const objectives = [
    { name: 'accuracy', direction: 'maximize' as const },
    { name: 'seconds', direction: 'minimize' as const },
  ]
  const mo = (number: number, values: number[], extra: Partial<TrialRecord> = {}) => ({
    number,
    state: 'complete' as TrialState,
    value: values[0],
    values,
    ...extra,
  })

  it('is the best trial alone in a single-objective study, and empty without one', () => {
    const trials = [t(0, 'complete', 3), t(1, 'complete', 1)]
    expect(bestTrials({ direction: 'minimize' }, trials).map((x) => x.number)).toEqual([1])
    expect(bestTrials({ direction: 'minimize' }, [t(0, 'failed', null)])).toEqual([])
  })

  it('is the Pareto front of feasible complete trials with several objectives, in number order', () => {
    const trials = [
      mo(3, [0.9, 10]),
      mo(0, [0.8, 1]),
      mo(1, [0.7, 5]), // dominated by 0
      mo(2, [0.99, 0.5], { feasible: false }), // would dominate all, but breaks a constraint
      mo(4, [0.95, 20], { state: 'pruned' }),
      mo(5, [0.95, NaN]),
    ]
    const front = bestTrials({ direction: 'maximize', objectives }, trials)
    expect(front.map((x) => x.number)).toEqual([0, 3])
  })
})
