import { describe, expect, it } from 'vitest'
import { createRng, deriveSeed, restoreRng } from './rng.ts'

describe('rng', () => {
  it('continues the same sequence after a state round trip', () => {
    const a = createRng(42)
    for (let i = 0; i < 10; i++) a.next()
    const b = restoreRng(a.state())
    expect(Array.from({ length: 20 }, () => a.next())).toEqual(
      Array.from({ length: 20 }, () => b.next()),
    )
  })
  it('gives uniform numbers in [0, 1) and normals with mean 0, sd 1', () => {
    const r = createRng(1)
    const xs = Array.from({ length: 20000 }, () => r.next())
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...xs)).toBeLessThan(1)
    expect(xs.reduce((a, b) => a + b) / xs.length).toBeCloseTo(0.5, 1)
    const ns = Array.from({ length: 20000 }, () => r.normal())
    const mean = ns.reduce((a, b) => a + b) / ns.length
    const sd = Math.sqrt(ns.reduce((a, b) => a + (b - mean) ** 2, 0) / ns.length)
    expect(mean).toBeCloseTo(0, 1)
    expect(sd).toBeCloseTo(1, 1)
  })
  it('derives different seeds per stream, the same for the same inputs', () => {
    expect(deriveSeed(0, 1)).toBe(deriveSeed(0, 1))
    expect(new Set([0, 1, 2, 3].map((n) => deriveSeed(0, n))).size).toBe(4)
  })
})
