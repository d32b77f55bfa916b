import { describe, expect, it } from 'vitest'
import { hypervolume } from '../hypervolume.ts'
import { dominates } from '../pareto.ts'
import { createRng } from '../rng.ts'
import { empiricalDistribution } from './empiricalDistribution.ts'
import { hypervolumeHistory, paretoTrialNumbers, referencePoint } from './paretoTrials.ts'
import { valueRanks } from './rankPlot.ts'
import { regretCurve } from './regretCurve.ts'
import { trialTimeline } from './trialTimeline.ts'

describe('Pareto front of trials', () => {
  const trials = [
    { number: 0, values: [0.9, 10] },
    { number: 1, values: [0.8, 2] },
    { number: 2, values: [0.95, 30] },
    { number: 3, values: [0.97, 50], feasible: false },
    { number: 4, values: [0.7, 3] },
    { number: 5, values: [0.8, 2] },
  ]
  const dirs = ['maximize', 'minimize'] as const

  it('keeps the non-dominated feasible trials, equal ones together', () => {
    expect(paretoTrialNumbers(trials, [...dirs])).toEqual([0, 1, 2, 5])
  })

  it('agrees with pairwise dominance on random 3-objective points (property)', () => {
    const rng = createRng(4)
    const pts = Array.from({ length: 300 }, (_, number) => ({
      number,
      values: [rng.int(10), rng.int(10), rng.int(10)],
    }))
    const slow = pts
      .filter((p) => !pts.some((q) => dominates(q.values, p.values)))
      .map((p) => p.number)
    expect(paretoTrialNumbers(pts, ['minimize', 'minimize', 'minimize'])).toEqual(slow)
  })

  it('gives the hypervolume after each trial, never counting infeasible ones', () => {
    const ref = referencePoint(trials, [...dirs]) as number[]
    expect(ref[1]).toBeCloseTo(30 + 0.1 * 28)
    const h = hypervolumeHistory(trials, [...dirs], ref)
    expect(h.numbers).toEqual([0, 1, 2, 3, 4, 5])
    expect(h.hypervolume[3]).toBe(h.hypervolume[2])
    const front = [0, 1, 2].map((i) => [-trials[i].values[0], trials[i].values[1]])
    expect(h.hypervolume[5]).toBeCloseTo(hypervolume(front, ref), 12)
    for (let i = 1; i < 6; i++)
      expect(h.hypervolume[i]).toBeGreaterThanOrEqual(h.hypervolume[i - 1])
  })
})

describe('single-objective plots', () => {
  it('EDF: the fraction of values at most x', () => {
    expect(empiricalDistribution([3, 1, NaN, 2, 2])).toEqual({
      x: [1, 2, 2, 3],
      y: [0.25, 0.5, 0.75, 1],
    })
  })

  it('timeline: each trial on the lowest slot free when it started, idle time per slot', () => {
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString()
    const t = trialTimeline(
      [
        { number: 0, state: 'complete', startedAt: at(0), finishedAt: at(10) },
        { number: 1, state: 'complete', startedAt: at(0), finishedAt: at(4) },
        { number: 2, state: 'failed', startedAt: at(5), finishedAt: at(8) },
        { number: 3, state: 'running', startedAt: at(10), finishedAt: null },
        { number: 4, state: 'queued', startedAt: null, finishedAt: null },
      ],
      at(12),
    )
    expect(t.bars.map((b) => [b.number, b.slot])).toEqual([
      [0, 0],
      [1, 1],
      [2, 1],
      [3, 0],
    ])
    expect(t.slots).toBe(2)
    expect(t.spanMs).toBe(12_000)
    expect(t.idleMs).toEqual([0, 5_000])
  })

  it('rank: 0 for the best, 1 for the worst, ties share a rank', () => {
    expect(valueRanks([3, 1, 2, 1], 'minimize')).toEqual([1, 0, 2 / 3, 0])
    expect(valueRanks([3, 1, 2], 'maximize')).toEqual([0, 1, 0.5])
  })

  it('regret: |best so far − optimum| after each trial with a value', () => {
    const r = regretCurve(
      [
        { number: 1, value: 5 },
        { number: 0, value: null },
        { number: 2, value: 7 },
        { number: 3, value: 1.5 },
      ],
      'minimize',
      1,
    )
    expect(r).toEqual({ numbers: [1, 2, 3], regret: [4, 4, 0.5], optimum: 1 })
  })
})
