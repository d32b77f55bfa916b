// Runs in the tuner worker: the default surrogate, a Gaussian process over the configurations the
// agent's actions decode to (the gp tuner's kernel and encoding: Matérn 5/2 ARD, categoricals
// one-hot, ordered choices as numbers). Its hyperparameters are refitted at each model phase (MAP,
// warm-started); between phases the posterior is conditioned on every result with them fixed.
import type { Config } from '../../../shared/searchSpace.ts'
import {
  createGaussianProcess,
  defaultHyperparameters,
  fitGpHyperparameters,
  type GaussianProcess,
  type GpHyperparameters,
} from '../gp/gaussianProcess.ts'
import { logExpectedImprovement } from '../gp/gpAcquisition.ts'
import type { GpEncoding } from '../gp/gpEncoding.ts'
import { warpTargets, type TargetWarp } from './targetWarp.ts'

export interface GpModel {
  gp: GaussianProcess
  /** Losses are standardized: y = (loss − yMean)/yStd. */
  yMean: number
  yStd: number
  /** The best (lowest) standardized loss observed. */
  best: number
  /** The standardized losses it was conditioned on (pending ones excluded). */
  y: number[]
}

/** MAP hyperparameters for the data, warm-started from the previous fit. */
export function fitGpSurrogate(
  features: readonly Float64Array[],
  losses: readonly number[],
  previous: GpHyperparameters | null,
  warp: TargetWarp,
): GpHyperparameters {
  const { y } = warpTargets(losses, warp)
  const starts = [defaultHyperparameters(features[0].length)]
  if (previous) starts.unshift(previous)
  return fitGpHyperparameters(features, y, starts, { maxIterations: 40 })
}

/**
 * The posterior for fixed hyperparameters; pending trials enter as a constant liar at the worst
 * observed loss, so proposals for them spread out. Null when the covariance stays singular.
 */
export function conditionGp(
  features: readonly Float64Array[],
  losses: readonly number[],
  hyper: GpHyperparameters,
  warp: TargetWarp,
  pending: readonly Float64Array[] = [],
): GpModel | null {
  const { offset: mean, scale: std, y } = warpTargets(losses, warp)
  const worst = Math.max(...y)
  try {
    const gp = createGaussianProcess(
      [...features, ...pending],
      [...y, ...pending.map(() => worst)],
      hyper,
    )
    return { gp, yMean: mean, yStd: std, best: Math.min(...y), y }
  } catch {
    return null
  }
}

/** Optimistic model rewards (−loss in standardized units): −μ + β·σ of the posterior. */
export function optimisticRewards(
  model: GpModel,
  xs: readonly Float64Array[],
  beta: number,
): { rewards: number[]; spread: number } {
  const { mean, variance } = model.gp.posterior(xs)
  let spread = 0
  const rewards = Array.from(mean, (m, i) => {
    const sd = Math.sqrt(variance[i])
    spread += sd
    return -m + beta * sd
  })
  return { rewards, spread: (spread / Math.max(1, xs.length)) * model.yStd }
}

/** log expected improvement over the best loss, per point. */
export const gpLogEi = (model: GpModel, xs: readonly Float64Array[]): Float64Array =>
  logExpectedImprovement(model.gp, xs, model.best)

export const encodeConfigs = (encoding: GpEncoding, configs: readonly Config[]): Float64Array[] =>
  configs.map((c) => encoding.encode(c))

/**
 * How well the GP predicts each real result from the others (leave-one-out, exact for a GP): R² and
 * the RMSE in loss units. Shown with the agent as the surrogate's hold-out error.
 */
export function leaveOneOutFit(model: GpModel): { r2: number; rmse: number } {
  const residuals = model.gp.leaveOneOutResiduals().subarray(0, model.y.length)
  const n = model.y.length
  const mean = model.y.reduce((a, b) => a + b, 0) / n
  let sse = 0
  let sst = 0
  for (let i = 0; i < n; i++) {
    sse += residuals[i] ** 2
    sst += (model.y[i] - mean) ** 2
  }
  return { r2: sst > 0 ? 1 - sse / sst : 0, rmse: Math.sqrt(sse / n) * model.yStd }
}
