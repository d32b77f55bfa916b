import { describe, expect, it } from 'vitest'
import { createRng } from '../../../shared/rng.ts'
import {
  actionLogProb,
  gaussianKl,
  policyKl,
  sampleAction,
  type ActionDistribution,
} from './gaussian.ts'

const logPdf = (h: number, m: number, s: number): number =>
  -0.5 * ((h - m) / s) ** 2 - Math.log(s) - 0.5 * Math.log(2 * Math.PI)

describe('action distributions', () => {
  it('clipped: the normal log-density; truncated: a density on [−1, 1] that integrates to 1', () => {
    expect(actionLogProb('clipped', 0.3, 0.1, 0.5).logp).toBeCloseTo(logPdf(0.3, 0.1, 0.5), 12)
    for (const [mu, sigma] of [
      [0.2, 0.3],
      [0.95, 0.05],
      [-0.6, 1.5],
    ]) {
      let mass = 0
      const n = 20_000
      for (let i = 0; i < n; i++)
        mass +=
          Math.exp(actionLogProb('truncated', -1 + (2 * (i + 0.5)) / n, mu, sigma).logp) * (2 / n)
      expect(mass).toBeCloseTo(1, 4)
    }
  })

  it.each(['clipped', 'truncated'] as ActionDistribution[])(
    '%s: derivatives match finite differences',
    (kind) => {
      for (const [h, mu, sigma] of [
        [0.3, 0.1, 0.5],
        [-0.9, 0.7, 0.2],
        [0.99, 0.9, 1.3],
      ]) {
        const g = actionLogProb(kind, h, mu, sigma)
        const eps = 1e-6
        const dMu =
          (actionLogProb(kind, h, mu + eps, sigma).logp -
            actionLogProb(kind, h, mu - eps, sigma).logp) /
          (2 * eps)
        const dSigma =
          (actionLogProb(kind, h, mu, sigma + eps).logp -
            actionLogProb(kind, h, mu, sigma - eps).logp) /
          (2 * eps)
        expect(g.dMu).toBeCloseTo(dMu, 5)
        expect(g.dSigma).toBeCloseTo(dSigma, 5)
      }
    },
  )

  it('truncated samples stay inside [−1, 1] with no mass on the bounds and the truncated mean', () => {
    const rng = createRng(3)
    const xs = Array.from({ length: 50_000 }, () => sampleAction('truncated', 0.8, 0.5, rng))
    expect(xs.every((x) => x > -1 && x < 1)).toBe(true)
    const n = 20_000
    let mean = 0
    for (let i = 0; i < n; i++) {
      const h = -1 + (2 * (i + 0.5)) / n
      mean += h * Math.exp(actionLogProb('truncated', h, 0.8, 0.5).logp) * (2 / n)
    }
    expect(xs.reduce((a, b) => a + b, 0) / xs.length).toBeCloseTo(mean, 2)
  })

  it('closed-form KL matches a Monte-Carlo estimate E_P[log P − log Q]', () => {
    const rng = createRng(42)
    for (const [pm, ps, qm, qs] of [
      [0, 1, 0.5, 0.7],
      [-0.3, 0.05, -0.25, 0.08],
      [0.8, 0.4, -0.2, 1],
    ]) {
      let sum = 0
      const samples = 200_000
      for (let i = 0; i < samples; i++) {
        const h = pm + ps * rng.normal()
        sum += logPdf(h, pm, ps) - logPdf(h, qm, qs)
      }
      const closed = gaussianKl(pm, ps, qm, qs)
      expect(Math.abs(closed - sum / samples)).toBeLessThan(0.02 * Math.max(1, closed))
    }
  })

  it('KL is 0 for equal policies, positive otherwise, and reduces by mean or sum over steps', () => {
    const p = { mean: [0.1, -0.2, 0.5], spread: [0.3, 0.5, 0.2] }
    expect(policyKl(p, p, 'mean')).toBeCloseTo(0, 12)
    const q = { mean: [0.1, 0, 0.5], spread: [0.3, 0.5, 0.4] }
    const sum = policyKl(p, q, 'sum')
    expect(policyKl(p, q, 'mean')).toBeCloseTo(sum / 3, 12)
    const second = 0.2 ** 2 / (2 * 0.5 ** 2)
    const third = Math.log(0.4 / 0.2) + 0.2 ** 2 / (2 * 0.4 ** 2) - 0.5
    expect(sum).toBeCloseTo(second + third, 12)
  })
})
