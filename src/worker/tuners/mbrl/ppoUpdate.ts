// Runs in the tuner worker: the PPO-clip update of the agent (spec §4), on tfjs `cpu`.
import * as tf from '@tensorflow/tfjs'
import { adamStep, type AdamState } from './adam.ts'
import { gaussianKl, gaussianLogProb } from './gaussian.ts'
import type { PolicyNet } from './policyNet.ts'

export interface PpoOptions {
  clipEpsilon: number
  epochs: number
  maxGradNorm: number
  learningRate: number
  /**
   * Trust region of one update: KL(π_before ‖ π) (mean over steps) it may reach; an epoch whose step
   * goes past it is undone and the update ends. 0: off (plain PPO-clip). [ours]
   */
  maxUpdateKl: number
}

/** Episodes to learn from: per episode its n sampled actions h (unclipped), log π_old(h_t) per step and its advantage. */
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
 * −mean over episodes and steps of min(ρA, clip(ρ, 1−ε, 1+ε)A), ρ = π(h)/π_old(h) per step.
 * h, logpOld: [B, n]; advantage: [B, 1]; mean, spread: [n].
 */
export function ppoLoss(
  mean: tf.Tensor1D,
  spread: tf.Tensor1D,
  h: tf.Tensor2D,
  logpOld: tf.Tensor2D,
  advantage: tf.Tensor2D,
  clipEpsilon: number,
): tf.Scalar {
  return tf.tidy(() => {
    const ratio = tf.exp(tf.sub(gaussianLogProb(h, mean, spread), logpOld))
    const clipped = tf.clipByValue(ratio, 1 - clipEpsilon, 1 + clipEpsilon)
    return tf.neg(tf.mean(tf.minimum(tf.mul(ratio, advantage), tf.mul(clipped, advantage))))
  })
}

interface Checkpoint {
  weights: tf.Tensor[]
  m: tf.Tensor[]
  v: tf.Tensor[]
  step: number
}

/** tf.clone shares the data: assign() and adamStep() swap in new tensors and leave these intact. */
export function checkpoint(net: PolicyNet, adam: AdamState): Checkpoint {
  const keep = (ts: readonly tf.Tensor[]) => ts.map((t) => tf.keep(tf.clone(t)))
  return { weights: keep(net.variables), m: keep(adam.m), v: keep(adam.v), step: adam.step }
}

/** Puts the checkpoint back; it is consumed (do not dispose it afterwards). */
export function restore(net: PolicyNet, adam: AdamState, c: Checkpoint): void {
  net.variables.forEach((v, i) => v.assign(c.weights[i]))
  tf.dispose([...c.weights, ...adam.m, ...adam.v])
  adam.m = c.m
  adam.v = c.v
  adam.step = c.step
}

export const disposeCheckpoint = (c: Checkpoint): void => tf.dispose([...c.weights, ...c.m, ...c.v])

type Policy = { mean: tf.Tensor1D; spread: tf.Tensor1D }

const meanKl = (p: Policy, q: Policy): number =>
  tf.tidy(() => tf.mean(gaussianKl(p.mean, p.spread, q.mean, q.spread)).dataSync()[0])

/**
 * Scales the latest step back (w = w_prev + α·(w − w_prev), TRPO-style backtracking) until
 * KL(before ‖ π) ≤ limit; α = 0 when no tried scale fits. Adam's moments keep the full step.
 */
function backtrack(
  net: PolicyNet,
  previous: readonly tf.Tensor[],
  before: Policy,
  kl: number,
  limit: number,
): void {
  const proposed = net.variables.map((v) => tf.keep(tf.clone(v)))
  const place = (alpha: number): void =>
    tf.tidy(() =>
      net.variables.forEach((v, j) =>
        v.assign(tf.add(previous[j], tf.mul(alpha, tf.sub(proposed[j], previous[j])))),
      ),
    )
  // KL grows about quadratically with the step near the start
  let alpha = Math.min(0.9, 0.9 * Math.sqrt(limit / kl))
  let fitted = false
  for (let tries = 0; tries < 8 && !fitted; tries++, alpha /= 2) {
    place(alpha)
    const p = net.policy()
    fitted = meanKl(before, p) <= limit
    tf.dispose([p.mean, p.spread])
  }
  if (!fitted) net.variables.forEach((v, j) => v.assign(previous[j]))
  tf.dispose(proposed)
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
  const h = tf.tensor2d(batch.h as number[][])
  const logpOld = tf.tensor2d(batch.logpOld as number[][])
  const advantage = tf.tensor2d(
    batch.advantage.map((a) => [a]),
    [batch.advantage.length, 1],
  )
  const limit = options.maxUpdateKl
  let before: Policy | null = null
  let previous: tf.Tensor[] | null = null
  let crossed: number | null = null
  let loss = NaN
  let gradNorm = NaN
  let epochs = 0
  try {
    for (let epoch = 0; epoch < options.epochs && crossed === null; epoch++) {
      const stats = tf.tidy((): tf.Tensor | undefined => {
        const p = net.policyWithVjp()
        if (limit > 0 && epoch === 0)
          before = { mean: tf.keep(p.mean.clone()), spread: tf.keep(p.spread.clone()) }
        else if (limit > 0) {
          const kl = meanKl(before!, p)
          if (kl > limit) {
            crossed = kl
            return undefined
          }
        }
        const lossOf = (m: tf.Tensor, s: tf.Tensor): tf.Scalar =>
          ppoLoss(m as tf.Tensor1D, s as tf.Tensor1D, h, logpOld, advantage, options.clipEpsilon)
        const { value, grads } = tf.valueAndGrads(lossOf)([p.mean, p.spread])
        const weightGrads = p.vjp(grads[0] as tf.Tensor1D, grads[1] as tf.Tensor1D)
        const norm = tf.sqrt(tf.addN(weightGrads.map((g) => tf.sum(tf.square(g)))))
        const scale = tf.minimum(1, tf.div(options.maxGradNorm, tf.add(norm, 1e-6)))
        if (limit > 0) {
          if (previous) tf.dispose(previous)
          previous = net.variables.map((v) => tf.keep(tf.clone(v)))
        }
        adamStep(
          net.variables,
          weightGrads.map((g) => tf.mul(g, scale)),
          adam,
          options.learningRate,
        )
        return tf.stack([value, norm])
      })
      if (stats === undefined) break
      const [l, n] = stats.dataSync()
      stats.dispose()
      loss = l
      gradNorm = n
      epochs += 1
      if (!Number.isFinite(l) || !Number.isFinite(n))
        return { loss, gradNorm, finite: false, epochs }
    }
    if (limit > 0 && crossed === null && epochs > 0) {
      const p = net.policy()
      const kl = meanKl(before!, p)
      tf.dispose([p.mean, p.spread])
      if (kl > limit) crossed = kl
    }
    if (crossed !== null && previous) backtrack(net, previous, before!, crossed, limit)
    return { loss, gradNorm, finite: weightsFinite(net), epochs }
  } finally {
    if (previous) tf.dispose(previous)
    const kept = before as Policy | null
    if (kept) tf.dispose([kept.mean, kept.spread])
    tf.dispose([h, logpOld, advantage])
  }
}

/** NaN and ±Infinity propagate through a sum, so one reduction checks every weight. */
export function weightsFinite(net: PolicyNet): boolean {
  return tf.tidy(() => {
    const total = tf.addN(net.variables.map((v) => tf.sum(v)))
    return Number.isFinite(total.dataSync()[0])
  })
}

/** ppoUpdate that leaves the last good weights and Adam state in place when the update diverges. */
export function guardedPpoUpdate(
  net: PolicyNet,
  adam: AdamState,
  batch: PpoBatch,
  options: PpoOptions,
): PpoResult & { restored: boolean } {
  const saved = checkpoint(net, adam)
  let result: PpoResult
  try {
    result = ppoUpdate(net, adam, batch, options)
  } catch {
    result = { loss: NaN, gradNorm: NaN, finite: false, epochs: 0 }
  }
  if (result.finite) {
    disposeCheckpoint(saved)
    return { ...result, restored: false }
  }
  restore(net, adam, saved)
  return { ...result, restored: true }
}
