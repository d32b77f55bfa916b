import { describe, expect, it } from 'vitest'
import { advantages, emptyBaseline, updateBaseline } from './rewardBaseline.ts'

describe('reward baseline', () => {
  it('gives the first reward a zero advantage and bounds |A| by about 3.3', () => {
    const first = advantages(emptyBaseline(), [5])
    expect(first.advantages).toEqual([0])
    const second = advantages(first.baseline, [1000])
    expect(second.advantages[0]).toBeCloseTo(1 / Math.sqrt(0.09), 6)
    const third = advantages(second.baseline, [-1e6])
    expect(third.advantages[0]).toBeLessThan(0)
    expect(Math.abs(third.advantages[0])).toBeLessThanOrEqual(1 / Math.sqrt(0.09) + 1e-9)
  })

  it('is an EMA(0.9) of the rewards with an EMA of squared deviations', () => {
    let b = emptyBaseline()
    for (const r of [1, 2, 3]) b = updateBaseline(b, r)
    // mean: 1 → 1.1 → 1.29; variance: 0 → 0.9·(0 + 0.1·1) = 0.09 → 0.9·(0.09 + 0.1·1.9²)
    expect(b.mean).toBeCloseTo(1.29, 10)
    expect(b.variance).toBeCloseTo(0.9 * (0.09 + 0.1 * 1.9 ** 2), 10)
    expect(b.count).toBe(3)
  })

  it('centres a batch on the mean before it, and a first batch on its own mean', () => {
    const { advantages: a } = advantages(emptyBaseline(), [1, 3])
    expect(a[0]).toBeCloseTo(-a[1], 10)
    let b = emptyBaseline()
    b = updateBaseline(b, 10)
    const next = advantages(b, [10, 10, 12])
    expect(next.advantages[0]).toBe(0)
    expect(next.advantages[2]).toBeGreaterThan(0)
  })
})
