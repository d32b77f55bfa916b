import { describe, expect, it } from 'vitest'
import { bestTrial, ranksForBest } from './bestTrial.ts'
import type { TrialState } from './trial.ts'

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
})
