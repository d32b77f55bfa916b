// Runs in the tuner worker: how the GP surrogate sees the losses. `none` standardizes them; `rank`
// replaces them by their ranks' normal scores; `power` applies the Box-Cox (all losses > 0) or
// Yeo-Johnson transform whose λ makes them most nearly normal (maximum likelihood, as in HEBO), then
// standardizes, so losses spread over orders of magnitude stop flattening the near-optimal ones.
import { averageRanks } from '../../math/averageRanks.ts'
import { logNormCdfInverse } from '../../math/normalDistribution.ts'

export type TargetWarp = 'none' | 'rank' | 'power'

export interface WarpedTargets {
  /** The warped, standardized targets, one per loss (lower is better: every warp is increasing). */
  y: number[]
  /** Loss units per target unit near the mean (1 when the warp has no such scale). */
  scale: number
  /** The loss the standardized target 0 stands for (0 when the warp has no such offset). */
  offset: number
}

const LAMBDA_RANGE = 2

function standardized(values: readonly number[]): { y: number[]; mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length)
  const std = sd > 1e-12 ? sd : 1
  return { y: values.map((v) => (v - mean) / std), mean, std }
}

/** The losses' ranks as normal scores: Φ⁻¹((rank + ½) / n). */
const rankScores = (losses: readonly number[]): number[] =>
  averageRanks(losses).map((r) => logNormCdfInverse(Math.log((r + 0.5) / losses.length)))

const boxCox = (x: number, lambda: number): number =>
  Math.abs(lambda) < 1e-8 ? Math.log(x) : (x ** lambda - 1) / lambda

function yeoJohnson(x: number, lambda: number): number {
  if (x >= 0) return Math.abs(lambda) < 1e-8 ? Math.log1p(x) : ((x + 1) ** lambda - 1) / lambda
  const l2 = 2 - lambda
  return Math.abs(l2) < 1e-8 ? -Math.log1p(-x) : -((1 - x) ** l2 - 1) / l2
}

/** The transform and its log-Jacobian per point, for λ. */
function powerFamily(values: readonly number[]) {
  if (values.every((v) => v > 0)) {
    const logs = values.reduce((a, v) => a + Math.log(v), 0)
    return { map: boxCox, logJacobian: (lambda: number) => (lambda - 1) * logs }
  }
  const logs = values.reduce((a, v) => a + Math.sign(v) * Math.log1p(Math.abs(v)), 0)
  return { map: yeoJohnson, logJacobian: (lambda: number) => (lambda - 1) * logs }
}

/** The λ in [−2, 2] that maximizes the profile log-likelihood of a normal fit (golden-section search). */
function bestLambda(values: readonly number[], family: ReturnType<typeof powerFamily>): number {
  const n = values.length
  const loglik = (lambda: number): number => {
    const t = values.map((v) => family.map(v, lambda))
    const mean = t.reduce((a, b) => a + b, 0) / n
    const variance = t.reduce((a, b) => a + (b - mean) ** 2, 0) / n
    if (!(variance > 0) || !Number.isFinite(variance)) return -Infinity
    return (-n / 2) * Math.log(variance) + family.logJacobian(lambda)
  }
  const g = (Math.sqrt(5) - 1) / 2
  let a = -LAMBDA_RANGE
  let b = LAMBDA_RANGE
  let c = b - g * (b - a)
  let d = a + g * (b - a)
  let fc = loglik(c)
  let fd = loglik(d)
  for (let i = 0; i < 40; i++) {
    if (fc >= fd) {
      b = d
      d = c
      fd = fc
      c = b - g * (b - a)
      fc = loglik(c)
    } else {
      a = c
      c = d
      fc = fd
      d = a + g * (b - a)
      fd = loglik(d)
    }
  }
  return (a + b) / 2
}

function powerWarp(losses: readonly number[]): number[] {
  // Yeo-Johnson works on the losses in units of their spread, so its λ does not depend on their scale
  const { std } = standardized(losses)
  const values = losses.every((v) => v > 0) ? losses : losses.map((v) => v / std)
  const family = powerFamily(values)
  const lambda = bestLambda(values, family)
  const t = values.map((v) => family.map(v, lambda))
  return t.every(Number.isFinite) ? t : [...values]
}

export function warpTargets(losses: readonly number[], warp: TargetWarp): WarpedTargets {
  if (warp === 'rank') return { y: rankScores(losses), scale: 1, offset: 0 }
  if (warp === 'power') return { y: standardized(powerWarp(losses)).y, scale: 1, offset: 0 }
  const { y, mean, std } = standardized(losses)
  return { y, scale: std, offset: mean }
}
