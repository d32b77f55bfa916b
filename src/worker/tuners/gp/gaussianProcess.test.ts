import { describe, expect, it } from 'vitest'
import { createRng } from '../../../shared/rng.ts'
import {
  createGaussianProcess,
  defaultHyperparameters,
  fitGpHyperparameters,
  fromRaw,
  logPosterior,
  matern52,
  toRaw,
} from './gaussianProcess.ts'
import { logExpectedImprovement } from './gpAcquisition.ts'

describe('Gaussian process', () => {
  it('leave-one-out residuals equal refitting without each point', () => {
    const rng = createRng(5)
    const X = Array.from({ length: 12 }, () => [rng.next(), rng.next()])
    const y = X.map(([a, b]) => Math.sin(4 * a) + b * b + 0.1 * rng.next())
    const hyper = { inverseSquaredLengthscales: [3, 1.5], kernelScale: 1.2, noiseVar: 0.01 }
    const residuals = createGaussianProcess(X, y, hyper).leaveOneOutResiduals()
    X.forEach((x, i) => {
      const others = createGaussianProcess(
        X.filter((_, j) => j !== i),
        y.filter((_, j) => j !== i),
        hyper,
      )
      expect(residuals[i]).toBeCloseTo(y[i] - others.posterior([x]).mean[0], 9)
    })
  })

  it('gives every point the same posterior, to the bit, alone or in a batch solved four at a time', () => {
    const rng = createRng(8)
    const X = Array.from({ length: 30 }, () => [rng.next(), rng.next(), rng.next()])
    const y = X.map(([a, b, c]) => Math.cos(5 * a) + b - c * c)
    const gp = createGaussianProcess(X, y, {
      inverseSquaredLengthscales: [6, 2, 1],
      kernelScale: 1.5,
      noiseVar: 1e-3,
    })
    const xs = Array.from({ length: 11 }, () => [rng.next(), rng.next(), rng.next()])
    const batch = gp.posterior(xs)
    xs.forEach((x, i) => {
      const alone = gp.posterior([x])
      expect(batch.mean[i]).toBe(alone.mean[0])
      expect(batch.variance[i]).toBe(alone.variance[0])
    })
  })

  it('matches a hand-computed posterior on two points', () => {
    // K = s²·m(λ·Δ²) + σ²I with m the Matérn 5/2 shape; posterior μ = k*ᵀK⁻¹y, var = s² − k*ᵀK⁻¹k*
    const hyper = { inverseSquaredLengthscales: [4], kernelScale: 2, noiseVar: 0.1 }
    const X = [[0], [0.5]]
    const y = [1, 0.5]
    const gp = createGaussianProcess(X, y, hyper)
    const k01 = 2 * matern52(4 * 0.25)
    const [a, b, c] = [2.1, k01, 2.1] // K = [[a, b], [b, c]]
    const det = a * c - b * b
    const inv = [
      [c / det, -b / det],
      [-b / det, a / det],
    ]
    for (const [xs, mean, variance] of [
      [0.25, 0.7896940062562832, 0.2549886371813259],
      [0.9, 0.17804079395203065, 1.1624252492258065],
    ]) {
      const k = X.map(([x]) => 2 * matern52(4 * (xs - x) ** 2))
      const Kinv_y = [inv[0][0] * y[0] + inv[0][1] * y[1], inv[1][0] * y[0] + inv[1][1] * y[1]]
      const Kinv_k = [inv[0][0] * k[0] + inv[0][1] * k[1], inv[1][0] * k[0] + inv[1][1] * k[1]]
      const byHand = {
        mean: k[0] * Kinv_y[0] + k[1] * Kinv_y[1],
        variance: 2 - (k[0] * Kinv_k[0] + k[1] * Kinv_k[1]),
      }
      const post = gp.posterior([[xs]])
      expect(post.mean[0]).toBeCloseTo(byHand.mean, 12)
      expect(post.variance[0]).toBeCloseTo(byHand.variance, 12)
      // and against NumPy's solve on the same matrices
      expect(post.mean[0]).toBeCloseTo(mean, 12)
      expect(post.variance[0]).toBeCloseTo(variance, 12)
    }
  })

  it('uses one lengthscale per dimension (ARD) and matches NumPy on a 2-D case', () => {
    const hyper = { inverseSquaredLengthscales: [3, 0.5], kernelScale: 1.5, noiseVar: 1e-3 }
    const X = [
      [0.1, 0.2],
      [0.7, 0.4],
      [0.3, 0.9],
    ]
    const y = [0.3, -1.2, 0.8]
    const post = createGaussianProcess(X, y, hyper).posterior([[0.5, 0.5]])
    expect(post.mean[0]).toBeCloseTo(-0.3855108997272166, 12)
    expect(post.variance[0]).toBeCloseTo(0.08092728614254208, 12)
    const lml = logPosterior(X, y, toRaw(hyper), false).value
    expect(lml).toBeCloseTo(-4.6953037481906525, 10)
  })

  it('has an analytic gradient that agrees with finite differences', () => {
    const rng = createRng(5)
    const X = Array.from({ length: 12 }, () => [rng.next(), rng.next(), rng.next()])
    const y = X.map((x) => Math.sin(4 * x[0]) + x[1] - 0.5)
    const raw = Float64Array.from([0.3, -0.5, 1.1, 0.2, -2])
    const { gradient } = logPosterior(X, y, raw)
    for (let i = 0; i < raw.length; i++) {
      const h = 1e-6
      const up = Float64Array.from(raw)
      const down = Float64Array.from(raw)
      up[i] += h
      down[i] -= h
      const numeric = (logPosterior(X, y, up).value - logPosterior(X, y, down).value) / (2 * h)
      expect(gradient[i]).toBeCloseTo(numeric, 4)
    }
    expect(
      fromRaw(toRaw({ inverseSquaredLengthscales: [2], kernelScale: 3, noiseVar: 0.5 })).noiseVar,
    ).toBeCloseTo(0.5, 12)
  })

  it('fits a short lengthscale on the dimension that matters and a long one on the one that does not', () => {
    const rng = createRng(3)
    const X = Array.from({ length: 40 }, () => [rng.next(), rng.next()])
    const y = X.map((x) => Math.sin(8 * x[0]))
    const mean = y.reduce((a, b) => a + b, 0) / y.length
    const sd = Math.sqrt(y.reduce((a, b) => a + (b - mean) ** 2, 0) / y.length)
    const fitted = fitGpHyperparameters(
      X,
      y.map((v) => (v - mean) / sd),
      [defaultHyperparameters(2)],
    )
    const [relevant, irrelevant] = fitted.inverseSquaredLengthscales
    expect(relevant).toBeGreaterThan(10 * irrelevant)
    const start = logPosterior(X, y, toRaw(defaultHyperparameters(2))).value
    expect(logPosterior(X, y, toRaw(fitted)).value).toBeGreaterThan(start)
  })

  it('log EI equals the log of the closed-form EI where that is representable, and stays finite where it is not', () => {
    const gp = createGaussianProcess([[0.2], [0.8]], [0, 1], {
      inverseSquaredLengthscales: [10],
      kernelScale: 1,
      noiseVar: 1e-4,
    })
    const xs = [[0.1], [0.5], [0.95]].map((x) => Float64Array.from(x))
    const { mean, variance } = gp.posterior(xs)
    const best = 0
    const logEi = logExpectedImprovement(gp, xs, best)
    xs.forEach((_, i) => {
      const s = Math.sqrt(variance[i])
      const z = (best - mean[i]) / s
      const pdf = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI)
      const cdf = 0.5 * (1 + erf(z / Math.SQRT2))
      expect(logEi[i]).toBeCloseTo(Math.log(s * (pdf + z * cdf)), 6)
    })
    const far = logExpectedImprovement(gp, [Float64Array.from([0.2])], -50)[0]
    expect(Number.isFinite(far)).toBe(true)
    expect(far).toBeLessThan(-100)
  })
})

/** Abramowitz–Stegun 7.1.26 is too coarse here; a series suffices for |x| < 3. */
function erf(x: number): number {
  let term = x
  let sum = x
  for (let n = 1; n < 100; n++) {
    term *= (-x * x) / n
    sum += term / (2 * n + 1)
  }
  return (2 / Math.sqrt(Math.PI)) * sum
}
