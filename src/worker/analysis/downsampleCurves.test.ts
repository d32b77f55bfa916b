import { describe, expect, it } from 'vitest'
import type { HistoryTrial } from '../../shared/analysisProtocol.ts'
import { createRng } from '../../shared/rng.ts'
import type { TrialState } from '../../shared/trial.ts'
import {
  downsampleCurve,
  downsampleCurves,
  downsampleHistory,
  lttbIndices,
  minMaxIndices,
} from './downsampleCurves.ts'

const curve = (n: number, f: (i: number) => number): { step: number; value: number }[] =>
  Array.from({ length: n }, (_, i) => ({ step: i + 1, value: f(i) }))

describe('lttbIndices', () => {
  it('keeps the first and last point, at most threshold points, in x order', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i)
    const ys = xs.map((x) => Math.sin(x / 30))
    const idx = lttbIndices(xs, ys, 50)
    expect(idx).toHaveLength(50)
    expect(idx[0]).toBe(0)
    expect(idx.at(-1)).toBe(999)
    expect(idx).toEqual([...idx].sort((a, b) => a - b))
    expect(new Set(idx).size).toBe(50)
  })

  it('keeps a spike', () => {
    const xs = Array.from({ length: 500 }, (_, i) => i)
    const ys = xs.map((x) => (x === 321 ? 100 : 0))
    expect(lttbIndices(xs, ys, 20)).toContain(321)
  })

  it('returns everything when under the threshold', () => {
    expect(lttbIndices([1, 2, 3], [3, 2, 1], 10)).toEqual([0, 1, 2])
  })
})

describe('minMaxIndices', () => {
  it('keeps every bucket extreme', () => {
    const rng = createRng(1)
    const ys = Array.from({ length: 10_000 }, () => rng.next())
    ys[4321] = -5
    ys[777] = 9
    const idx = minMaxIndices(ys, 200)
    expect(idx.length).toBeLessThanOrEqual(200)
    expect(idx).toContain(4321)
    expect(idx).toContain(777)
    expect(idx).toEqual([...idx].sort((a, b) => a - b))
  })
})

describe('downsampleCurve', () => {
  it('returns the curve untouched when small, and drops non-finite values', () => {
    const points = [
      { step: 1, value: 0.5 },
      { step: 2, value: NaN },
      { step: 3, value: 0.7 },
    ]
    expect(downsampleCurve(points, 100)).toEqual([
      { step: 1, value: 0.5 },
      { step: 3, value: 0.7 },
    ])
  })

  it.each(['lttb', 'minmax'] as const)('%s keeps a big curve within budget and its ends', (m) => {
    const points = curve(5000, (i) => Math.exp(-i / 500) + (i === 2500 ? 3 : 0))
    const out = downsampleCurve(points, 100, m)
    expect(out.length).toBeLessThanOrEqual(100)
    expect(out[0]).toEqual(points[0])
    expect(out.at(-1)).toEqual(points.at(-1))
    expect(out.some((p) => p.step === 2501)).toBe(true)
    const steps = out.map((p) => p.step)
    expect(steps).toEqual([...steps].sort((a, b) => a - b))
  })

  it('downsamples 10,000 curves of 100 steps and reports the original size', () => {
    const rng = createRng(2)
    const curves = Array.from({ length: 10_000 }, (_, t) => ({
      trialNumber: t,
      points: curve(100, (i) => 1 - Math.exp(-i / 20) + 0.01 * rng.next()),
    }))
    const out = downsampleCurves(curves, 20)
    expect(out).toHaveLength(10_000)
    expect(out.every((c) => c.points.length === 20 && c.total === 100)).toBe(true)
  })
})

describe('downsampleHistory', () => {
  const states: TrialState[] = ['complete', 'complete', 'complete', 'pruned', 'failed']
  function study(n: number, seed: number): HistoryTrial[] {
    const rng = createRng(seed)
    return Array.from({ length: n }, (_, i) => {
      const state = states[rng.int(states.length)]
      return {
        number: i,
        state,
        value: state === 'failed' ? null : 10 * rng.next() + 1000 / (i + 1),
      }
    })
  }

  it.each(['minimize', 'maximize'] as const)(
    'gives the exact best-so-far line over complete trials only (%s)',
    (direction) => {
      const trials = study(300, 3)
      trials[150] = { number: 150, state: 'pruned', value: direction === 'minimize' ? -1e9 : 1e9 }
      const out = downsampleHistory(direction, trials, 10_000)
      let best: number | null = null
      const expected: { number: number; value: number }[] = []
      for (const t of trials) {
        if (t.state !== 'complete' || t.value === null) continue
        if (best === null || (direction === 'minimize' ? t.value < best : t.value > best)) {
          best = t.value
          expected.push({ number: t.number, value: t.value })
        }
      }
      expected.push({ number: 299, value: best! })
      expect(out.bestSoFar).toEqual(expected)
      expect(out.bestSoFar.some((p) => p.number === 150)).toBe(false)
      expect(out.downsampled).toBe(false)
      expect(out.complete.length + out.pruned.length + out.failed.length).toBe(300)
    },
  )

  it('stays within budget for 10,000 trials and keeps every improvement and the extremes', () => {
    const trials = study(10_000, 4)
    trials[5000] = { number: 5000, state: 'complete', value: 1e6 }
    const out = downsampleHistory('minimize', trials, 1000)
    expect(out.downsampled).toBe(true)
    expect(out.total).toBe(10_000)
    const n = out.complete.length + out.pruned.length + out.failed.length
    expect(n).toBeLessThanOrEqual(1000 + out.bestSoFar.length)
    const completeNumbers = new Set(out.complete.map((p) => p.number))
    for (const p of out.bestSoFar.slice(0, -1)) expect(completeNumbers.has(p.number)).toBe(true)
    expect(completeNumbers.has(5000)).toBe(true)
    expect(out.failed.length).toBeGreaterThan(10)
    expect(out.pruned.length).toBeGreaterThan(10)
  })

  it('draws an infeasible trial but never makes it the best so far', () => {
    const out = downsampleHistory(
      'minimize',
      [
        { number: 0, state: 'complete', value: 5 },
        { number: 1, state: 'complete', value: 1, feasible: false },
        { number: 2, state: 'complete', value: 3 },
      ],
      100,
    )
    expect(out.complete.map((p) => p.number)).toEqual([0, 1, 2])
    expect(out.bestSoFar).toEqual([
      { number: 0, value: 5 },
      { number: 2, value: 3 },
    ])
  })
})
