// Runs in the tuner worker: the PPO-clip update of the agent (spec §4), on tfjs `cpu`.
import * as tf from '@tensorflow/tfjs'
import { adamStep, type AdamState } from './adam.ts'
import { gaussianLogProb } from './gaussian.ts'
import type { PolicyNet } from './policyNet.ts'

export interface PpoOptions {
  clipEpsilon: number
  epochs: number
  maxGradNorm: number
  learningRate: number
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

/** `epochs` Adam steps on the clipped objective of one batch, gradients clipped to a global norm. */
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
  let loss = NaN
  let gradNorm = NaN
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const stats = tf.tidy(() => {
        const p = net.policyWithVjp()
        const lossOf = (m: tf.Tensor, s: tf.Tensor): tf.Scalar =>
          ppoLoss(m as tf.Tensor1D, s as tf.Tensor1D, h, logpOld, advantage, options.clipEpsilon)
        const { value, grads } = tf.valueAndGrads(lossOf)([p.mean, p.spread])
        const weightGrads = p.vjp(grads[0] as tf.Tensor1D, grads[1] as tf.Tensor1D)
        const norm = tf.sqrt(tf.addN(weightGrads.map((g) => tf.sum(tf.square(g)))))
        const scale = tf.minimum(1, tf.div(options.maxGradNorm, tf.add(norm, 1e-6)))
        adamStep(
          net.variables,
          weightGrads.map((g) => tf.mul(g, scale)),
          adam,
          options.learningRate,
        )
        return tf.stack([value, norm])
      })
      const [l, n] = stats.dataSync()
      stats.dispose()
      loss = l
      gradNorm = n
      if (!Number.isFinite(l) || !Number.isFinite(n)) return { loss, gradNorm, finite: false }
    }
    return { loss, gradNorm, finite: weightsFinite(net) }
  } finally {
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

/**
 * ppoUpdate that leaves the last good weights and Adam state in place when the update diverges.
 * Backups are tf.clone (shared, copy-free) because assign() and adamStep() swap in new tensors.
 */
export function guardedPpoUpdate(
  net: PolicyNet,
  adam: AdamState,
  batch: PpoBatch,
  options: PpoOptions,
): PpoResult & { restored: boolean } {
  const weights = net.variables.map((v) => tf.keep(tf.clone(v)))
  const moments = { m: adam.m.map((t) => tf.keep(tf.clone(t))), v: adam.v.map((t) => tf.keep(tf.clone(t))), step: adam.step }
  let result: PpoResult
  try {
    result = ppoUpdate(net, adam, batch, options)
  } catch {
    result = { loss: NaN, gradNorm: NaN, finite: false }
  }
  if (result.finite) {
    tf.dispose([...weights, ...moments.m, ...moments.v])
    return { ...result, restored: false }
  }
  net.variables.forEach((v, i) => v.assign(weights[i]))
  tf.dispose([...weights, ...adam.m, ...adam.v])
  adam.m = moments.m
  adam.v = moments.v
  adam.step = moments.step
  return { ...result, restored: true }
}
