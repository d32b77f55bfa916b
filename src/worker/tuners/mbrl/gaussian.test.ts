import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { createRng } from '../../../shared/rng.ts'
import { gaussianKl, gaussianLogProb, policyKl } from './gaussian.ts'
import { useCpuBackend } from './tfCpu.ts'

beforeAll(useCpuBackend)

const logPdf = (h: number, m: number, s: number): number =>
  -0.5 * ((h - m) / s) ** 2 - Math.log(s) - 0.5 * Math.log(2 * Math.PI)

describe('gaussian', () => {
  it('log-prob matches the normal density, elementwise with broadcasting', () => {
    const h = tf.tensor2d([
      [0.3, -1.2],
      [2, 0],
    ])
    const got = gaussianLogProb(
      h,
      tf.tensor1d([0.1, -0.5]),
      tf.tensor1d([0.5, 0.05]),
    ).arraySync() as number[][]
    const want = [
      [logPdf(0.3, 0.1, 0.5), logPdf(-1.2, -0.5, 0.05)],
      [logPdf(2, 0.1, 0.5), logPdf(0, -0.5, 0.05)],
    ]
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++) expect(got[i][j]).toBeCloseTo(want[i][j], 3)
    // the density integrates to 1 (midpoint rule)
    const grid = Array.from({ length: 4000 }, (_, i) => -4 + (i + 0.5) * 0.002)
    const p = gaussianLogProb(tf.tensor1d(grid), tf.scalar(0.2), tf.scalar(0.3)).dataSync()
    expect(Array.from(p).reduce((a, lp) => a + Math.exp(lp) * 0.002, 0)).toBeCloseTo(1, 4)
  })

  it('closed-form KL matches a Monte-Carlo estimate E_P[log P − log Q]', () => {
    const cases: [number, number, number, number][] = [
      [0, 1, 0.5, 0.7],
      [-0.3, 0.05, -0.25, 0.08],
      [0.8, 0.4, -0.2, 1],
    ]
    const rng = createRng(42)
    for (const [pm, ps, qm, qs] of cases) {
      const closed = gaussianKl(
        tf.scalar(pm),
        tf.scalar(ps),
        tf.scalar(qm),
        tf.scalar(qs),
      ).dataSync()[0]
      const samples = 200_000
      let sum = 0
      for (let i = 0; i < samples; i++) {
        const h = pm + ps * rng.normal()
        sum += logPdf(h, pm, ps) - logPdf(h, qm, qs)
      }
      const mc = sum / samples
      expect(Math.abs(closed - mc)).toBeLessThan(0.02 * Math.max(1, closed))
    }
  })

  it('KL is 0 for equal policies, positive otherwise, and reduces by mean or sum over steps', () => {
    const p = { mean: [0.1, -0.2, 0.5], spread: [0.3, 0.5, 0.2] }
    expect(policyKl(p, p, 'mean')).toBeCloseTo(0, 6)
    const q = { mean: [0.1, 0, 0.5], spread: [0.3, 0.5, 0.4] }
    const sum = policyKl(p, q, 'sum')
    expect(sum).toBeGreaterThan(0)
    expect(policyKl(p, q, 'mean')).toBeCloseTo(sum / 3, 6)
    const second = 0.2 ** 2 / (2 * 0.5 ** 2)
    const third = Math.log(0.4 / 0.2) + 0.2 ** 2 / (2 * 0.4 ** 2) - 0.5
    expect(sum).toBeCloseTo(second + third, 5)
  })
})
