import { describe, expect, it } from 'vitest'
import { erfc, erfcx, logGaussMass, logH, logNormCdf, normCdf } from './normalDistribution.ts'

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
      [-1, 1, -0.38171514630212607],
      [-40, -39, -765.08315656437754],
      [-0.5, 0.2, -1.30666218430034],
      [5, 6, -15.068446096529453],
      [-3, -2.9, -7.5695680138074889],
    ]
    for (const [a, b, v] of ref) expect(rel(logGaussMass(a, b), v)).toBeLessThan(1e-9)
    expect(logGaussMass(30, 31)).toBeCloseTo(logGaussMass(-31, -30), 10)
    expect(logGaussMass(-Infinity, 0)).toBeCloseTo(Math.log(0.5), 14)
  })

  it('log h(z) = log(φ(z) + zΦ(z)) is finite and accurate for very negative z', () => {
    const ref: [number, number][] = [
      [3, 1.0987396653277078],
      [0.5, -0.35982768374506382],
      [0, -0.91893853320467274],
      [-0.99, -2.4661143916690494],
      [-1, -2.4851210257126413],
      [-2, -4.7687835239171142],
      [-5, -16.74430116266099],
      [-10, -55.553122036122356],
      [-40, -808.29856835661996],
      [-1000, -500014.73445209116],
    ]
    for (const [z, v] of ref) expect(rel(logH(z), v)).toBeLessThan(1e-9)
    expect(Number.isFinite(logH(-1e8))).toBe(true)
  })
})
