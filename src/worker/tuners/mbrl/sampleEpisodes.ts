// Runs in the tuner worker: episodes drawn from the agent's current policy with the tuner's own RNG.
import * as tf from '@tensorflow/tfjs'
import type { Rng } from '../../../shared/rng.ts'
import { gaussianLogProb } from './gaussian.ts'
import type { PolicyNet } from './policyNet.ts'

export interface PolicyValues {
  mean: number[]
  spread: number[]
}

export interface Episodes extends PolicyValues {
  /** Sampled actions h (unclipped), one row per episode. */
  h: number[][]
  /** log π(h_t) per step under the policy they were drawn from, float32 as PPO recomputes it. */
  logp: number[][]
}

export function readPolicy(net: PolicyNet): PolicyValues {
  return tf.tidy(() => {
    const p = net.policy()
    return { mean: Array.from(p.mean.dataSync()), spread: Array.from(p.spread.dataSync()) }
  })
}

/** log π(h) per step under the policy (one pass of the net for all rows). */
export function logProbs(policy: PolicyValues, h: readonly (readonly number[])[]): number[][] {
  return tf.tidy(() => {
    const lp = gaussianLogProb(
      tf.tensor2d(h as number[][], [h.length, policy.mean.length]),
      tf.tensor1d(policy.mean),
      tf.tensor1d(policy.spread),
    )
    return lp.arraySync() as number[][]
  })
}

/** h_t ~ N(μ'_t, σ_t) per step and episode, drawn in episode-major order from `rng`. */
export function sampleEpisodes(net: PolicyNet, rng: Rng, count: number): Episodes {
  const policy = readPolicy(net)
  const h = Array.from({ length: count }, () =>
    policy.mean.map((m, t) => m + policy.spread[t] * rng.normal()),
  )
  return { ...policy, h, logp: logProbs(policy, h) }
}
