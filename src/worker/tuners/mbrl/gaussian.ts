// Runs in the tuner worker: the per-step action distribution of the policy, N(μ', σ) either
// truncated to [−1, 1] (no mass piles on the bounds; exact log-density) or, as the paper, unbounded
// and clipped when decoded; and the closed-form KL between two policies' Gaussians.
import type { Rng } from '../../../shared/rng.ts'
import { logGaussMass, normLogPdf } from '../../math/normalDistribution.ts'

export type ActionDistribution = 'truncated' | 'clipped'
export type KlReduction = 'mean' | 'sum'

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI)

/** log π(h) of one step, and its derivatives with respect to μ and σ. */
export function actionLogProb(
  kind: ActionDistribution,
  h: number,
  mu: number,
  sigma: number,
): { logp: number; dMu: number; dSigma: number } {
  const z = (h - mu) / sigma
  let logp = -0.5 * z * z - Math.log(sigma) - LOG_SQRT_2PI
  let dMu = z / sigma
  let dSigma = (z * z - 1) / sigma
  if (kind === 'truncated') {
    // log Z = log(Φ(β) − Φ(α)), α = (−1 − μ)/σ, β = (1 − μ)/σ
    const a = (-1 - mu) / sigma
    const b = (1 - mu) / sigma
    const logZ = logGaussMass(a, b)
    const pa = Math.exp(normLogPdf(a) - logZ)
    const pb = Math.exp(normLogPdf(b) - logZ)
    logp -= logZ
    dMu -= (pa - pb) / sigma
    dSigma -= (a * pa - b * pb) / sigma
  }
  return { logp, dMu, dSigma }
}

/** h ~ N(μ, σ), by rejection inside [−1, 1] when truncated (μ ∈ (−1, 1) keeps acceptance above ½). */
export function sampleAction(
  kind: ActionDistribution,
  mu: number,
  sigma: number,
  rng: Rng,
): number {
  if (kind === 'clipped') return mu + sigma * rng.normal()
  for (let tries = 0; tries < 64; tries++) {
    const h = mu + sigma * rng.normal()
    if (h >= -1 && h <= 1) return h
  }
  return Math.min(1, Math.max(-1, mu))
}

/** KL(P ‖ Q) of two one-dimensional Gaussians. */
export function gaussianKl(pMu: number, pSigma: number, qMu: number, qSigma: number): number {
  const num = pSigma * pSigma + (pMu - qMu) ** 2
  return Math.log(qSigma / pSigma) + num / (2 * qSigma * qSigma) - 0.5
}

/**
 * KL(P ‖ Q) of two policies' per-step Gaussians N(μ', σ) (before truncation: the paper's measure of
 * how far the policy moved), reduced over the steps as the study asks.
 */
export function policyKl(
  p: { mean: ArrayLike<number>; spread: ArrayLike<number> },
  q: { mean: ArrayLike<number>; spread: ArrayLike<number> },
  reduction: KlReduction,
): number {
  let total = 0
  for (let t = 0; t < p.mean.length; t++)
    total += gaussianKl(p.mean[t], p.spread[t], q.mean[t], q.spread[t])
  return reduction === 'sum' ? total : total / Math.max(1, p.mean.length)
}
