// Runs in the tuner worker: what PPO needs from an agent, whichever network produces the policy.
import * as tf from '@tensorflow/tfjs'
import type { Rng } from '../../../shared/rng.ts'

/** The policy for fixed weights: n independent Gaussians N(mean_t, spread_t) over u-space. */
// a type, not an interface, so tf.tidy accepts it as a TensorContainer
export type PolicyTensors = {
  /** μ'_t = tanh(m_t) ∈ (−1, 1), shape [n]. */
  mean: tf.Tensor1D
  /** σ_t = min(1, 0.05 + softplus(s_t)), shape [n]. */
  spread: tf.Tensor1D
}

export interface PolicyWithVjp extends PolicyTensors {
  /**
   * Gradients of Σ_t dMean_t·μ'_t + dSpread_t·σ_t with respect to `variables` (a vector–Jacobian
   * product), in the order of `variables`. Call inside the same tidy scope as the forward pass.
   */
  vjp(dMean: tf.Tensor1D, dSpread: tf.Tensor1D): tf.Tensor[]
}

/**
 * An agent network. Its input never depends on sampled values, so one deterministic pass gives the
 * whole policy (spec §1): a batch of episodes needs one forward pass, not one per episode.
 */
export interface PolicyNet {
  readonly steps: number
  readonly variables: readonly tf.Variable[]
  policy(): PolicyTensors
  policyWithVjp(): PolicyWithVjp
  dispose(): void
}

export const INIT_LIMIT = 0.08
export const SPREAD_FLOOR = 0.05
export const SPREAD_CAP = 1

/** uniform(−0.08, 0.08) values from the tuner's own RNG, so initial weights never depend on tf's global seed. */
export function uniformInit(shape: readonly number[], rng: Rng): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1)
  const out = new Float32Array(size)
  for (let i = 0; i < size; i++) out[i] = (2 * rng.next() - 1) * INIT_LIMIT
  return out
}

/** Creates variables from saved values, or from uniformInit when none are given. */
export function makeVariables(
  shapes: readonly (readonly number[])[],
  rng: Rng,
  values?: readonly Float32Array[],
): tf.Variable[] {
  return shapes.map((shape, i) => {
    const data = values ? values[i] : uniformInit(shape, rng)
    return tf.variable(tf.tensor(data, shape as number[], 'float32'), true)
  })
}

/** (m, s) rows → (μ', σ): the mean and spread heads shared by both agents. */
export function headsToPolicy(m: tf.Tensor, s: tf.Tensor): PolicyTensors {
  return tf.tidy(() => ({
    mean: tf.tanh(m).reshape([-1]) as tf.Tensor1D,
    spread: tf
      .minimum(tf.add(tf.softplus(s), SPREAD_FLOOR), SPREAD_CAP)
      .reshape([-1]) as tf.Tensor1D,
  }))
}
