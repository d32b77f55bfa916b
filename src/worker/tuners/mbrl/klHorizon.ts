// Runs in the tuner worker: the dynamic model horizon (spec §6). The agent learns from episodes the
// surrogate rewards, nothing trained for real, while KL(P̂ ‖ P_θ) ≤ δ: the update that crosses δ
// is kept and ends the phase.
import type { Rng } from '../../../shared/rng.ts'
import type { AdamState } from './adam.ts'
import { policyKl, type KlReduction } from './gaussian.ts'
import type { PolicyNet } from './policyNet.ts'
import { guardedPpoUpdate, type PpoOptions } from './ppoUpdate.ts'
import { advantages, rankAdvantages, type RewardBaseline } from './rewardBaseline.ts'
import { policyValues, sampleEpisodes, type PolicyValues } from './sampleEpisodes.ts'

export interface HorizonOptions {
  delta: number
  modelBatch: number
  maxModelEpisodes: number
  klReduction: KlReduction
  /** 'baseline': the paper's EMA advantage; 'rank': ranks within each batch. */
  rewards: 'baseline' | 'rank'
  ppo: PpoOptions
}

export interface HorizonInput {
  net: PolicyNet
  adam: AdamState
  rng: Rng
  /** The surrogate's reward for each episode (its actions h, agent order). */
  reward: (h: number[][]) => number[]
  baseline: RewardBaseline
  options: HorizonOptions
}

export interface HorizonResult {
  /** The policy P̂ the KL is measured from. */
  snapshot: PolicyValues
  episodes: number
  kl: number
  baseline: RewardBaseline
  /** Set when an update diverged (the last good weights were kept and the phase ended). */
  diverged: boolean
}

/** Batches of model episodes, one PPO update each, while KL(P̂ ‖ P_θ) ≤ δ and episodes < the cap. */
export function trainWithinHorizon(input: HorizonInput): HorizonResult {
  const { net, adam, rng, options } = input
  const snapshot = policyValues(net.policy())
  let baseline = input.baseline
  let episodes = 0
  let kl = 0
  while (kl <= options.delta && episodes < options.maxModelEpisodes) {
    const count = Math.min(options.modelBatch, options.maxModelEpisodes - episodes)
    const batch = sampleEpisodes(policyValues(net.policy()), rng, count, options.ppo.distribution)
    const predicted = input.reward(batch.h)
    const adv =
      options.rewards === 'rank'
        ? { advantages: rankAdvantages(predicted), baseline }
        : advantages(baseline, predicted)
    const batchData = { h: batch.h, logpOld: batch.logp, advantage: adv.advantages }
    const result = guardedPpoUpdate(net, adam, batchData, options.ppo)
    if (result.restored) return { snapshot, episodes, kl, baseline, diverged: true }
    baseline = adv.baseline
    episodes += count
    kl = policyKl(snapshot, net.policy(), options.klReduction)
  }
  return { snapshot, episodes, kl, baseline, diverged: false }
}
