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

export const disposeCheckpoint = (c: Checkpoint): void =>
  tf.dispose([...c.weights, ...c.m, ...c.v])

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
  const limit = options.maxUpdateKl
  let before: { mean: tf.Tensor1D; spread: tf.Tensor1D } | null = null
  let last: Checkpoint | null = null
  let loss = NaN
  let gradNorm = NaN
  let epochs = 0
  const klFromBefore = (p: { mean: tf.Tensor1D; spread: tf.Tensor1D }): number =>
    tf.tidy(() =>
      tf.mean(gaussianKl(before!.mean, before!.spread, p.mean, p.spread)).dataSync()[0],
    )
  try {
    let undo = false
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const stats = tf.tidy((): tf.Tensor | undefined => {
        const p = net.policyWithVjp()
        if (limit > 0 && epoch === 0)
          before = { mean: tf.keep(p.mean.clone()), spread: tf.keep(p.spread.clone()) }
        else if (limit > 0 && klFromBefore(p) > limit) {
          undo = true
          return undefined
        }
        const lossOf = (m: tf.Tensor, s: tf.Tensor): tf.Scalar =>
          ppoLoss(m as tf.Tensor1D, s as tf.Tensor1D, h, logpOld, advantage, options.clipEpsilon)
        const { value, grads } = tf.valueAndGrads(lossOf)([p.mean, p.spread])
        const weightGrads = p.vjp(grads[0] as tf.Tensor1D, grads[1] as tf.Tensor1D)
        const norm = tf.sqrt(tf.addN(weightGrads.map((g) => tf.sum(tf.square(g)))))
        const scale = tf.minimum(1, tf.div(options.maxGradNorm, tf.add(norm, 1e-6)))
        if (limit > 0) {
          if (last) disposeCheckpoint(last)
          last = checkpoint(net, adam)
        }
        adamStep(
          net.variables,
          weightGrads.map((g) => tf.mul(g, scale)),
          adam,
          options.learningRate,
        )
        return tf.stack([value, norm])
      })
      if (undo || stats === undefined) break
      const [l, n] = stats.dataSync()
      stats.dispose()
      loss = l
      gradNorm = n
      epochs += 1
      if (!Number.isFinite(l) || !Number.isFinite(n)) return { loss, gradNorm, finite: false, epochs }
    }
    if (limit > 0 && !undo && epochs > 0) {
      const p = net.policy()
      undo = klFromBefore(p) > limit
      tf.dispose([p.mean, p.spread])
    }
    if (undo && last) {
      // the step that crossed the trust region is undone
      restore(net, adam, last)
      last = null
      epochs -= 1
    }
    return { loss, gradNorm, finite: weightsFinite(net), epochs }
  } finally {
    if (last) disposeCheckpoint(last)
    const kept = before as { mean: tf.Tensor1D; spread: tf.Tensor1D } | null
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
