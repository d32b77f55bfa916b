// Runs in the tuner worker, at the ask() after a model phase fell due: snapshot P̂, fit the surrogate
// on D, then let the agent learn from model episodes within the KL horizon (spec §6).
import type { ModelPhaseRecord } from '../../../shared/agentSnapshot.ts'
import type { Rng } from '../../../shared/rng.ts'
import type { AdamState } from './adam.ts'
import type { TunerCore } from './agentState.ts'
import { clipUnit } from './actionCodec.ts'
import { conditionGp, fitGpSurrogate, leaveOneOutFit, optimisticRewards } from './gpSurrogate.ts'
import { trainWithinHorizon } from './klHorizon.ts'
import type { PolicyNet } from './policyNet.ts'
import type { PpoOptions } from './ppoUpdate.ts'
import type { RlOptions } from './rlOptions.ts'
import { policyValues } from './sampleEpisodes.ts'
import { MIN_POINTS, fitSurrogate, surrogatePredictions } from './surrogateModel.ts'

const REFIT_GROWTH = 1.25

export interface PhaseContext {
  net: PolicyNet
  adam: AdamState
  rng: Rng
  /** Updated in place: the phase record, surrogate, KL, counters. */
  core: TunerCore
  options: RlOptions
  modelPpo: PpoOptions
  /** The GP's inputs for actions (agent order), or null when the surrogate is an MLP. */
  features: ((u: readonly (readonly number[])[]) => Float64Array[]) | null
}

interface Surrogate {
  reward: (h: number[][]) => number[]
  r2: number | null
  error: number | null
  /** Mean posterior (or ensemble) spread over the phase's episodes, score units. */
  spread: () => number | null
}

/** Fits the surrogate on D; a reason instead when it cannot be used. */
function fitModel(ctx: PhaseContext, u: number[][], scores: number[]): Surrogate | string {
  const { core, options } = ctx
  if (scores.length < MIN_POINTS)
    return `${scores.length} real results, the surrogate needs ${MIN_POINTS}`
  if (scores.every((s) => s === scores[0])) return 'every real result has the same score'
  if (ctx.features) {
    const x = ctx.features(u)
    const losses = scores.map((s) => -s)
    // the MAP fit is most of a phase's cost and moves little as data accrue: refit on 25% more data
    if (!core.gpHyper || x.length >= REFIT_GROWTH * (core.gpFitAt ?? 0)) {
      core.gpHyper = fitGpSurrogate(x, losses, core.gpHyper ?? null, options.warp)
      core.gpFitAt = x.length
    }
    const model = conditionGp(x, losses, core.gpHyper, options.warp)
    if (!model) return 'the GP covariance is singular'
    const loo = leaveOneOutFit(model)
    let spreadSum = 0
    let batches = 0
    return {
      reward(h) {
        const r = optimisticRewards(
          model,
          ctx.features!(h.map((row) => row.map(clipUnit))),
          options.optimism,
        )
        spreadSum += r.spread
        batches++
        return r.rewards
      },
      r2: loo.r2,
      error: loo.rmse,
      spread: () => (batches ? spreadSum / batches : null),
    }
  }
  const fit = fitSurrogate(
    u,
    scores,
    options.surrogate === 'ensemble' ? 'ensemble' : 'mlp',
    ctx.rng,
  )
  core.surrogate = fit.model
  if (!(fit.cvR2 >= 0)) return `surrogate R² ${fit.cvR2.toFixed(2)} < 0`
  let spreadSum = 0
  let spreadCount = 0
  return {
    reward(h) {
      const p = surrogatePredictions(
        fit.model,
        h.map((row) => row.map(clipUnit)),
      )
      for (const s of p.spread ?? []) {
        spreadSum += s
        spreadCount++
      }
      return p.values.map((v, i) => v + options.optimism * (p.spread?.[i] ?? 0))
    },
    r2: fit.cvR2,
    error: fit.holdoutRmse ?? fit.cvRmse,
    spread: () => (spreadCount ? spreadSum / spreadCount : null),
  }
}

export function runModelPhase(ctx: PhaseContext): void {
  const { core, options } = ctx
  const started = performance.now()
  const window = options.surrogateWindow
  const from = window > 0 ? Math.max(0, core.data.scores.length - window) : 0
  const surrogate = fitModel(ctx, core.data.u.slice(from), core.data.scores.slice(from))
  const base = { atRealEpisode: core.realEpisodes }
  let record: ModelPhaseRecord
  if (typeof surrogate === 'string') {
    record = {
      ...base,
      episodes: 0,
      kl: 0,
      skipped: true,
      reason: surrogate,
      surrogateR2: core.surrogateR2,
    }
    core.phaseSnapshot = policyValues(ctx.net.policy())
  } else {
    core.surrogateR2 = surrogate.r2
    core.surrogateError = surrogate.error
    const result = trainWithinHorizon({
      net: ctx.net,
      adam: ctx.adam,
      rng: ctx.rng,
      reward: surrogate.reward,
      baseline: core.baselines.model,
      options: { ...options, ppo: ctx.modelPpo },
    })
    record = {
      ...base,
      episodes: result.episodes,
      kl: result.kl,
      skipped: false,
      surrogateR2: surrogate.r2,
      ensembleSpread: surrogate.spread(),
    }
    core.phaseSnapshot = result.snapshot
    core.baselines.model = result.baseline
    core.modelEpisodes += result.episodes
    core.kl = result.kl
    if (result.episodes > 0) core.modelTrained = true
    if (result.diverged)
      core.warning = `model phase at real episode ${core.realEpisodes}: the PPO update diverged; kept the last good weights and ended the phase`
  }
  core.lastModelPhase = { ...record, durationMs: performance.now() - started }
}
