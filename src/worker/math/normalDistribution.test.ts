import { describe, expect, it } from 'vitest'
import {
  erfc,
  erfcx,
  logGaussMass,
  logH,
  logNormCdf,
  logNormCdfInverse,
  normCdf,
  truncNormPpf,
} from './normalDistribution.ts'

// Reference values from SciPy 1.17 (erfcx, log_ndtr) and mpmath at 50 digits (log h, log mass).
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b)

describe('normal distribution helpers', () => {
  it('erfcx matches SciPy across its branches', () => {
    const ref: [number, number][] = [
      [0, 1],
      [0.3, 0.7345993345676554],
      [1, 0.427583576155807],
      [1.9, 0.26650937366167254],
      [2, 0.2553956763105058],
      [2.5, 0.2108063640611436],
      [3, 0.17900115118138998],
      [5, 0.11070463773306861],
      [10, 0.05614099274382259],
      [100, 0.005641613782989433],
      [1e4, 5.641895807268084e-5],
    ]
    for (const [x, v] of ref) expect(rel(erfcx(x), v)).toBeLessThan(1e-12)
    expect(erfc(-1)).toBeCloseTo(1.8427007929497148, 14)
  })

  it('log Φ stays accurate deep in both tails', () => {
    const ref: [number, number][] = [
      [-40, -804.6084420137539],
      [-20, -203.9171553710973],
      [-8, -35.01343715991456],
      [-3, -6.60772622151035],
      [-1, -1.8410216450092634],
      [0, -0.6931471805599453],
      [0.5, -0.36894641528865635],
      [2, -0.023012909328963476],
      [7, -1.2798125438866539e-12],
      [10, -7.61985302416047e-24],
    ]
    for (const [z, v] of ref) expect(rel(logNormCdf(z), v)).toBeLessThan(1e-10)
    expect(normCdf(0)).toBe(0.5)
  })

  it('log Gaussian mass of an interval, in the tails and across 0', () => {
    const ref: [number, number, number][] = [
      [-1, 1, -0.38171514630212605],
      [-40, -39, -765.0831565643775],
      [-0.5, 0.2, -1.30666218430034],
      [5, 6, -15.068446096529453],
      [-3, -2.9, -7.569568013807489],
    ]
    for (const [a, b, v] of ref) expect(rel(logGaussMass(a, b), v)).toBeLessThan(1e-9)
    expect(logGaussMass(30, 31)).toBeCloseTo(logGaussMass(-31, -30), 10)
    expect(logGaussMass(-Infinity, 0)).toBeCloseTo(Math.log(0.5), 14)
  })

  it('log h(z) = log(φ(z) + zΦ(z)) is finite and accurate for very negative z', () => {
    const ref: [number, number][] = [
      [3, 1.0987396653277077],
      [0.5, -0.3598276837450638],
      [0, -0.9189385332046728],
      [-0.99, -2.4661143916690493],
      [-1, -2.4851210257126413],
      [-2, -4.768783523917114],
      [-5, -16.74430116266099],
      [-10, -55.55312203612235],
      [-40, -808.29856835662],
      [-1000, -500014.7344520912],
    ]
    for (const [z, v] of ref) expect(rel(logH(z), v)).toBeLessThan(1e-9)
    expect(Number.isFinite(logH(-1e8))).toBe(true)
  })

  it('inverts log Φ to full precision in both tails', () => {
    for (const y of [-1e-20, -1e-8, -0.1, -0.69, -0.7, -5, -40, -800, -1e5]) {
      const x = logNormCdfInverse(y)
      expect(rel(logNormCdf(x), y)).toBeLessThan(1e-14)
    }
    expect(logNormCdfInverse(Math.log(0.975))).toBeCloseTo(1.959963984540054, 14)
  })

  it('truncated-normal quantiles match Optuna 3.1’s _truncnorm.ppf', () => {
    // q, a, b, ppf from Optuna 3.1.1 (bisection on its log_ndtr)
    const ref: [number, number, number, number][] = [
      [0.3, -1, 2, -0.24240381788922694],
      [0.7, 0.5, 3, 1.3194689604428471],
      [0.01, -30, -25, -25.183244039412372],
      [0.99, 20, 40, 20.22838949959531],
      [1e-10, -2, 2, -1.999999998232112],
    ]
    for (const [q, a, b, v] of ref) expect(rel(truncNormPpf(q, a, b), v)).toBeLessThan(1e-13)
    expect(Math.abs(truncNormPpf(0.5, -0.1, 0.1))).toBeLessThan(1e-15)
    expect(truncNormPpf(0, -1, 1)).toBe(-1)
    expect(truncNormPpf(1, -1, 1)).toBe(1)
  })
})
