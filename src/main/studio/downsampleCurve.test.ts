import { describe, expect, it } from 'vitest'
import { downsampleCurve } from './downsampleCurve.ts'

describe('downsampleCurve', () => {
  it('returns short curves unchanged', () => {
    expect(downsampleCurve([1, 2, 3], [5, 6, 7], 10)).toEqual({ xs: [1, 2, 3], ys: [5, 6, 7] })
  })

  it('keeps maxPoints points, the ends, and a lone spike', () => {
    const xs = Array.from({ length: 10_000 }, (_, i) => i)
    const ys = xs.map((x) => (x === 6_543 ? 100 : Math.sin(x / 500)))
    const cut = downsampleCurve(xs, ys, 200)
    expect(cut.xs).toHaveLength(200)
    expect(cut.xs[0]).toBe(0)
    expect(cut.xs[199]).toBe(9_999)
    expect(cut.xs).toContain(6_543)
    expect([...cut.xs].sort((a, b) => a - b)).toEqual(cut.xs)
  })
})
