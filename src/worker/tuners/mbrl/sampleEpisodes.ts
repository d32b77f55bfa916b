// Runs in the tuner worker: episodes drawn from the agent's current policy with the tuner's own RNG.
import type { Rng } from '../../../shared/rng.ts'
import { actionLogProb, sampleAction, type ActionDistribution } from './gaussian.ts'
import type { Policy } from './policyNet.ts'

export interface PolicyValues {
  mean: number[]
  spread: number[]
}

export interface Episodes extends PolicyValues {
  /** Sampled actions h, one row per episode. */
  h: number[][]
  /** log π(h_t) per step under the policy they were drawn from. */
  logp: number[][]
}

export const policyValues = (p: Policy): PolicyValues => ({
  mean: Array.from(p.mean),
  spread: Array.from(p.spread),
})

/** log π(h) per step under the policy. */
export function logProbs(
  policy: PolicyValues,
  h: readonly (readonly number[])[],
  distribution: ActionDistribution,
): number[][] {
  return h.map((row) =>
    row.map((x, t) => actionLogProb(distribution, x, policy.mean[t], policy.spread[t]).logp),
  )
}

/** h_t ~ π_t per step and episode, drawn in episode-major order from `rng`. */
export function sampleActions(
  policy: PolicyValues,
  rng: Rng,
  count: number,
  distribution: ActionDistribution,
): number[][] {
  return Array.from({ length: count }, () =>
    policy.mean.map((m, t) => sampleAction(distribution, m, policy.spread[t], rng)),
  )
}

/** Episodes drawn from the policy, with their log π per step. */
export function sampleEpisodes(
  policy: PolicyValues,
  rng: Rng,
  count: number,
  distribution: ActionDistribution,
): Episodes {
  const h = sampleActions(policy, rng, count, distribution)
  return { ...policy, h, logp: logProbs(policy, h, distribution) }
}
