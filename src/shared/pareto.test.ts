import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  constrainedDominates,
  crowdingDistance,
  crowdingDistanceSort,
  dominates,
  nonDominatedSort,
  paretoFront,
} from './pareto.ts'

describe('dominance', () => {
  it('needs no worse everywhere and better somewhere', () => {
    expect(dominates([1, 2], [1, 3])).toBe(true)
    expect(dominates([1, 3], [1, 3])).toBe(false)
    expect(dominates([0, 4], [1, 3])).toBe(false)
  })

  it('constrained: feasible first, then smaller violation, unreported last', () => {
    const feasible = { losses: [5, 5], violation: 0 }
    const slightly = { losses: [0, 0], violation: 0.1 }
    const badly = { losses: [0, 0], violation: 3 }
    const unknown = { losses: [0, 0], violation: null }
    expect(constrainedDominates(feasible, slightly)).toBe(true)
    expect(constrainedDominates(slightly, feasible)).toBe(false)
    expect(constrainedDominates(slightly, badly)).toBe(true)
    expect(constrainedDominates(badly, unknown)).toBe(true)
    expect(constrainedDominates(unknown, badly)).toBe(false)
    expect(constrainedDominates({ losses: [1, 1], violation: 0 }, feasible)).toBe(true)
  })
})

describe('non-dominated sort', () => {
  it('ranks fronts and keeps Optuna’s order inside a front', () => {
    const pts = [
      [3, 1],
      [2, 2],
      [4, 4],
      [1, 3],
      [3, 3],
    ]
    const fronts = nonDominatedSort(pts, dominates)
    // rank 0: 0, 1, 3 (slot 0 taken, then 1; 3 moved into a freed slot); rank 1: 4; rank 2: 2
    expect(fronts.map((f) => [...f].sort())).toEqual([[0, 1, 3], [4], [2]])
    expect(fronts[0]).toEqual([0, 1, 3])
  })

  it('every point of a front is dominated by one of the front before (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 3, maxLength: 3 }), {
          maxLength: 30,
        }),
        (pts) => {
          const fronts = nonDominatedSort(pts, dominates)
          expect(fronts.flat().sort((a, b) => a - b)).toEqual(pts.map((_, i) => i))
          expect([...(fronts[0] ?? [])].sort((a, b) => a - b)).toEqual(paretoFront(pts))
          for (let r = 1; r < fronts.length; r++)
            for (const i of fronts[r])
              expect(fronts[r - 1].some((j) => dominates(pts[j], pts[i]))).toBe(true)
        },
      ),
      { numRuns: 100 },
    )
  })
})

describe('crowding distance', () => {
  it('gives the extremes Infinity and inner points the normalized neighbour gap', () => {
    const pts = [
      [0, 4],
      [1, 2],
      [2, 1],
      [4, 0],
    ]
    const d = crowdingDistance(pts)
    expect(d[0]).toBe(Infinity)
    expect(d[3]).toBe(Infinity)
    expect(d[1]).toBeCloseTo((2 - 0) / 4 + (4 - 1) / 4)
    expect(d[2]).toBeCloseTo((4 - 1) / 4 + (2 - 0) / 4)
    expect(crowdingDistanceSort(pts).slice(0, 2).sort()).toEqual([0, 3])
  })

  it('skips an objective on which every point is equal', () => {
    expect(
      crowdingDistance([
        [1, 5],
        [2, 5],
        [3, 5],
      ]),
    ).toEqual([Infinity, 1, Infinity])
  })
})
