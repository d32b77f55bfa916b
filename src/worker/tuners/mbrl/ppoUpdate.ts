// Runs in the tuner worker: the PPO-clip update of the agent (spec §4) with a per-update KL trust region.
import { adamStep, cloneAdam, type AdamState } from './adam.ts'
import { actionLogProb, policyKl, type ActionDistribution } from './gaussian.ts'
import type { Policy, PolicyNet } from './policyNet.ts'

export interface PpoOptions {
  clipEpsilon: number
  epochs: number
  maxGradNorm: number
  learningRate: number
  /**
   * Trust region of one update: KL(π_before ‖ π) (mean over steps) it may reach; the step that goes
   * past it is scaled back to its edge and ends the update. 0: off (plain PPO-clip). [ours]
   */
  maxUpdateKl: number
  distribution: ActionDistribution
}

/** Episodes to learn from: per episode its n actions h, log π_old(h_t) per step and its advantage. */
export interface PpoBatch {
  h: readonly (readonly number[])[]
  logpOld: readonly (readonly number[])[]
  advantage: readonly number[]
}

export interface PpoResult {
  /** Clipped-objective loss of the last epoch (before its step). */
  loss: number
  /** Gradient norm of the last epoch, before clipping. */
  gradNorm: number
  /** False when the loss, a gradient or a weight became NaN or infinite. */
  finite: boolean
  /** Epochs whose step was kept. */
  epochs: number
}

/**
 * −mean over episodes and steps of min(ρA, clip(ρ, 1−ε, 1+ε)A), ρ = π(h)/π_old(h) per step, and its
 * gradient with respect to the policy's μ' and σ.
 */
export function ppoLoss(
  policy: Policy,
  batch: PpoBatch,
  clipEpsilon: number,
  distribution: ActionDistribution,
): { loss: number; dMean: Float64Array; dSpread: Float64Array } {
  const n = policy.mean.length
  const count = batch.h.length * n
  const dMean = new Float64Array(n)
  const dSpread = new Float64Array(n)
  let total = 0
  batch.h.forEach((h, b) => {
    const A = batch.advantage[b]
    for (let t = 0; t < n; t++) {
      const lp = actionLogProb(distribution, h[t], policy.mean[t], policy.spread[t])
      const ratio = Math.exp(lp.logp - batch.logpOld[b][t])
      const clipped = Math.min(1 + clipEpsilon, Math.max(1 - clipEpsilon, ratio))
      total += Math.min(ratio * A, clipped * A)
      // the gradient flows through ρ unless the clipped term is the smaller one
      const active = !((A > 0 && ratio > 1 + clipEpsilon) || (A < 0 && ratio < 1 - clipEpsilon))
      if (!active) continue
      const g = (-A * ratio) / count
      dMean[t] += g * lp.dMu
      dSpread[t] += g * lp.dSigma
    }
  })
  return { loss: -total / count, dMean, dSpread }
}

const copyWeights = (net: PolicyNet): Float64Array[] => net.weights.map((w) => w.slice())
const setWeights = (net: PolicyNet, values: readonly Float64Array[]): void =>
  net.weights.forEach((w, i) => w.set(values[i]))

/**
 * Scales the latest step back (w = w_prev + α·(w − w_prev), TRPO-style backtracking) until
 * KL(before ‖ π) ≤ limit; α = 0 when no tried scale fits. Adam's moments keep the full step.
 */
function backtrack(
  net: PolicyNet,
  previous: Float64Array[],
  before: Policy,
  kl: number,
  limit: number,
): void {
  const proposed = copyWeights(net)
  let alpha = Math.min(0.9, 0.9 * Math.sqrt(limit / kl))
  for (let tries = 0; tries < 8; tries++, alpha /= 2) {
    net.weights.forEach((w, j) => {
      for (let k = 0; k < w.length; k++)
        w[k] = previous[j][k] + alpha * (proposed[j][k] - previous[j][k])
    })
    if (policyKl(before, net.policy(), 'mean') <= limit) return
  }
  setWeights(net, previous)
}

/**
 * `epochs` Adam steps on the clipped objective of one batch, gradients clipped to a global norm; with
 * a trust region, the step that takes the policy past it is scaled back to its edge and ends the update.
 */
export function ppoUpdate(
  net: PolicyNet,
  adam: AdamState,
  batch: PpoBatch,
  options: PpoOptions,
): PpoResult {
  const limit = options.maxUpdateKl
  let before: Policy | null = null
  let previous: Float64Array[] | null = null
  let loss = NaN
  let gradNorm = NaN
  let epochs = 0
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const p = net.policyWithVjp()
    if (epoch === 0) before = { mean: p.mean, spread: p.spread }
    else if (limit > 0) {
      const kl = policyKl(before!, p, 'mean')
      if (kl > limit) {
        backtrack(net, previous!, before!, kl, limit)
        return { loss, gradNorm, finite: weightsFinite(net), epochs }
      }
    }
    const l = ppoLoss(p, batch, options.clipEpsilon, options.distribution)
    const grads = p.vjp(l.dMean, l.dSpread)
    let sq = 0
    for (const g of grads) for (let k = 0; k < g.length; k++) sq += g[k] * g[k]
    loss = l.loss
    gradNorm = Math.sqrt(sq)
    if (!Number.isFinite(loss) || !Number.isFinite(gradNorm))
      return { loss, gradNorm, finite: false, epochs }
    if (limit > 0) previous = copyWeights(net)
    adamStep(
      net.weights,
      grads,
      adam,
      options.learningRate,
      Math.min(1, options.maxGradNorm / (gradNorm + 1e-6)),
    )
    epochs += 1
  }
  if (limit > 0 && epochs > 0) {
    const kl = policyKl(before!, net.policy(), 'mean')
    if (kl > limit) backtrack(net, previous!, before!, kl, limit)
  }
  return { loss, gradNorm, finite: weightsFinite(net), epochs }
}

export function weightsFinite(net: PolicyNet): boolean {
  return net.weights.every((w) => w.every(Number.isFinite))
}

/** ppoUpdate that leaves the last good weights and Adam state in place when the update diverges. */
export function guardedPpoUpdate(
  net: PolicyNet,
  adam: AdamState,
  batch: PpoBatch,
  options: PpoOptions,
): PpoResult & { restored: boolean } {
  const weights = copyWeights(net)
  const saved = cloneAdam(adam)
  const result = ppoUpdate(net, adam, batch, options)
  if (result.finite) return { ...result, restored: false }
  setWeights(net, weights)
  adam.m = saved.m
  adam.v = saved.v
  adam.step = saved.step
  return { ...result, restored: true }
}
