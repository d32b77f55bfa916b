import { describe, expect, it } from 'vitest'
import { createSobolSequence, SOBOL_MAX_DIMENSIONS } from './sobolSequence.ts'

describe('Sobol sequence', () => {
  it('unscrambled, equals SciPy’s qmc.Sobol(scramble=False) point for point', () => {
    const s = createSobolSequence(5, { scramble: false, seed: 0 })
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((i) => s.point(i))).toEqual([
      [0, 0, 0, 0, 0],
      [0.5, 0.5, 0.5, 0.5, 0.5],
      [0.75, 0.25, 0.25, 0.25, 0.75],
      [0.25, 0.75, 0.75, 0.75, 0.25],
      [0.375, 0.375, 0.625, 0.875, 0.375],
      [0.875, 0.875, 0.125, 0.375, 0.875],
      [0.625, 0.125, 0.875, 0.625, 0.625],
      [0.125, 0.625, 0.375, 0.125, 0.125],
    ])
    const wide = createSobolSequence(128, { scramble: false, seed: 0 })
    const p = wide.point(13)
    expect([0, 1, 2, 40, 90, 127].map((i) => p[i])).toEqual([
      0.8125, 0.6875, 0.8125, 0.9375, 0.6875, 0.1875,
    ])
    expect([3, 77, 127].map((i) => wide.point(15)[i])).toEqual([0.3125, 0.0625, 0.4375])
    expect(SOBOL_MAX_DIMENSIONS).toBe(128)
  })

  it('scrambled, keeps the net property: 2^m points stratify every axis and the first two dimensions', () => {
    const s = createSobolSequence(6, { scramble: true, seed: 11 })
    const m = 7
    const pts = Array.from({ length: 2 ** m }, (_, i) => s.point(i))
    for (let d = 0; d < 6; d++)
      expect(new Set(pts.map((x) => Math.floor(x[d] * 2 ** m))).size).toBe(2 ** m)
    for (let k = 0; k <= m; k++) {
      const boxes = new Set(
        pts.map((x) => `${Math.floor(x[0] * 2 ** k)},${Math.floor(x[1] * 2 ** (m - k))}`),
      )
      expect(boxes.size).toBe(2 ** m)
    }
    expect(pts.every((x) => x.every((v) => v >= 0 && v < 1))).toBe(true)
  })

  it('scrambles differently per seed and identically for the same seed', () => {
    const a = createSobolSequence(3, { scramble: true, seed: 1 }).point(5)
    expect(createSobolSequence(3, { scramble: true, seed: 1 }).point(5)).toEqual(a)
    expect(createSobolSequence(3, { scramble: true, seed: 2 }).point(5)).not.toEqual(a)
  })

  it('fills dimensions beyond the direction table with seeded uniform values', () => {
    const s = createSobolSequence(SOBOL_MAX_DIMENSIONS + 3, { scramble: true, seed: 1 })
    const p = s.point(3)
    expect(p).toHaveLength(SOBOL_MAX_DIMENSIONS + 3)
    expect(s.point(3)).toEqual(p)
    expect(p.every((v) => v >= 0 && v < 1)).toBe(true)
  })
})
