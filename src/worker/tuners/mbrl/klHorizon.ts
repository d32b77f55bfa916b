// Runs in the tuner worker, inside tell(): the model phase of the dynamic model horizon (spec §6).
import type { ModelPhaseRecord } from '../../../shared/agentSnapshot.ts'
import type { Rng } from '../../../shared/rng.ts'
import type { AdamState } from './adam.ts'
import { policyKl, type KlReduction } from './gaussian.ts'
import type { PolicyNet } from './policyNet.ts'
import { guardedPpoUpdate, type PpoOptions } from './ppoUpdate.ts'
import { advantages, type RewardBaseline } from './rewardBaseline.ts'
import { clipUnit } from './actionCodec.ts'
import { readPolicy, sampleEpisodes, type PolicyValues } from './sampleEpisodes.ts'
import {
  MIN_POINTS,
  fitSurrogate,
  surrogatePredictions,
  type SurrogateFit,
  type SurrogateKind,
} from './surrogateModel.ts'

export interface ModelPhaseOptions {
  delta: number
  modelBatch: number
  maxModelEpisodes: number
  klReduction: KlReduction
  surrogate: SurrogateKind
  ppo: PpoOptions
}

export interface ModelPhaseInput {
  net: PolicyNet
  adam: AdamState
  rng: Rng
  /** D: real points u ∈ [−1, 1]^n (agent order) and their scores (rewards). */
  u: readonly (readonly number[])[]
  scores: readonly number[]
  baseline: RewardBaseline
  atRealEpisode: number
  options: ModelPhaseOptions
}

export interface ModelPhaseResult {
  record: ModelPhaseRecord
  /** The policy P̂ the KL is measured from. */
  snapshot: PolicyValues
  baseline: RewardBaseline
  fit: SurrogateFit | null
  warning: string | null
}

/**
 * Snapshot P̂, fit F on D, skip when F's cross-validated R² < 0; otherwise batches of model episodes
 * rewarded by F, one PPO update each, while KL(P̂ ‖ P_θ) ≤ δ and episodes < the cap. The update that
 * crosses δ is kept.
 */
export function runModelPhase(input: ModelPhaseInput): ModelPhaseResult {
  const { net, adam, rng, u, scores, options } = input
  const snapshot = readPolicy(net)
  const skipped = (reason: string, fit: SurrogateFit | null): ModelPhaseResult => ({
    record: {
      atRealEpisode: input.atRealEpisode,
      episodes: 0,
      kl: 0,
      skipped: true,
      reason,
      surrogateR2: fit ? fit.cvR2 : null,
    },
    snapshot,
    baseline: input.baseline,
    fit,
    warning: null,
  })
  if (scores.length < MIN_POINTS)
    return skipped(`${scores.length} real results, the surrogate needs ${MIN_POINTS}`, null)
  if (scores.every((s) => s === scores[0]))
    return skipped('every real result has the same score', null)
  const fit = fitSurrogate(u, scores, options.surrogate, rng)
  if (!(fit.cvR2 >= 0)) return skipped(`surrogate R² ${fit.cvR2.toFixed(2)} < 0`, fit)

  let baseline = input.baseline
  let episodes = 0
  let kl = 0
  let warning: string | null = null
  let spreadSum = 0
  let spreadCount = 0
  while (kl <= options.delta && episodes < options.maxModelEpisodes) {
    const count = Math.min(options.modelBatch, options.maxModelEpisodes - episodes)
    const batch = sampleEpisodes(net, rng, count)
    const { values: predicted, spread } = surrogatePredictions(
      fit.model,
      batch.h.map((row) => row.map(clipUnit)),
    )
    for (const s of spread ?? []) {
      spreadSum += s
      spreadCount++
    }
    const adv = advantages(baseline, predicted)
    const result = guardedPpoUpdate(
      net,
      adam,
      { h: batch.h, logpOld: batch.logp, advantage: adv.advantages },
      options.ppo,
    )
    if (result.restored) {
      warning = `model phase at real episode ${input.atRealEpisode}: the PPO update diverged (loss ${result.loss}); kept the last good weights and ended the phase`
      break
    }
    baseline = adv.baseline
    episodes += count
    kl = policyKl(snapshot, readPolicy(net), options.klReduction)
  }
  return {
    record: {
      atRealEpisode: input.atRealEpisode,
      episodes,
      kl,
      skipped: false,
      surrogateR2: fit.cvR2,
      ensembleSpread: spreadCount ? spreadSum / spreadCount : null,
    },
    snapshot,
    baseline,
    fit,
    warning,
  }
}
