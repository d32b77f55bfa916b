import { describe, expect, it } from 'vitest'
import type { StudyOverlay, StudyOverlaySeries } from '../../shared/analysisViews.ts'
import { bestSoFarAt, overlayLines, regretKnown } from './overlayLines.ts'

function series(id: number, setup: string, best: [number, number][], total: number, budget = 100) {
  return {
    studyId: id,
    name: `s${id}`,
    tunerKind: setup,
    direction: 'minimize',
    metric: 'value',
    complete: [],
    bestSoFar: best.map(([number, value]) => ({ number, value })),
    total,
    seed: id,
    budgetTrials: budget,
    setup,
    optimum: 1,
  } satisfies StudyOverlaySeries
}
const overlay = (...s: StudyOverlaySeries[]): StudyOverlay => ({ studies: s, warning: null })
const base = { x: 'trial', crop: false, y: 'value', seeds: false } as const

describe('overlayLines', () => {
  const a = series(
    1,
    'tpe',
    [
      [0, 9],
      [3, 5],
      [7, 2],
      [9, 2],
    ],
    10,
  )
  const b = series(
    2,
    'tpe',
    [
      [1, 8],
      [2, 4],
      [4, 3],
      [5, 3],
    ],
    6,
  )
  const c = series(
    3,
    'random',
    [
      [0, 7],
      [19, 6],
    ],
    20,
    20,
  )

  it('steps each study’s best so far to its last trial', () => {
    expect(bestSoFarAt(a, 2)).toBe(9)
    expect(bestSoFarAt(b, 0)).toBeNull()
    const [la] = overlayLines(overlay(a), base)
    expect(la.points.at(-1)).toEqual({ x: 9, y: 2 })
  })

  it('crops to the shortest study and normalizes by budget', () => {
    const lines = overlayLines(overlay(a, b), { ...base, crop: true })
    for (const l of lines) expect(Math.max(...l.points.map((p) => p.x))).toBeLessThanOrEqual(5)
    expect(lines[0].points.at(-1)).toEqual({ x: 5, y: 5 })
    const byBudget = overlayLines(overlay(a, c), { ...base, x: 'budget' })
    expect(byBudget[1].points.at(-1)!.x).toBe(1)
    expect(byBudget[0].points.at(-1)!.x).toBeCloseTo(0.1)
  })

  it('folds seeds of one setup into mean ± sd, and shows regret against the optimum', () => {
    const lines = overlayLines(overlay(a, b, c), { ...base, seeds: true, y: 'regret' })
    expect(lines).toHaveLength(2)
    const tpe = lines[0]
    expect(tpe.studyIds).toEqual([1, 2])
    // From trial 1 (both have a value) to trial 5 (the shorter seed's last).
    expect(tpe.points.map((p) => p.x)).toEqual([1, 2, 3, 4, 5])
    expect(tpe.points[0].y).toBeCloseTo((8 + 7) / 2) // regrets 9−1 and 8−1
    expect(tpe.band![0].high - tpe.band![0].low).toBeCloseTo(1)
    expect(lines[1].band).toBeNull()
    expect(regretKnown(overlay(a, c))).toBe(true)
    expect(regretKnown(overlay({ ...a, optimum: null }))).toBe(false)
  })
})
