// Runs in the tuner worker: planning at ask time. The agent samples episodes; the GP surrogate ranks
// them by expected improvement and the best is evaluated for real; optional cross-entropy rounds
// sample again around the best-ranked ones (the agent proposes, the model chooses).
import type { Rng } from '../../../shared/rng.ts'
import type { Config, SearchSpace } from '../../../shared/searchSpace.ts'
import { configKey } from '../../../shared/spaceCodec.ts'
import type { TunerContext } from '../../../shared/tuner.ts'
import type { GpEncoding } from '../gp/gpEncoding.ts'
import { decodeActions } from './actionCodec.ts'
import type { TunerCore } from './agentState.ts'
import { conditionGp, encodeConfigs, gpLogEi, type GpModel } from './gpSurrogate.ts'
import { SPREAD_FLOOR } from './policyNet.ts'
import type { RlOptions } from './rlOptions.ts'
import { logProbs, sampleActions, type PolicyValues } from './sampleEpisodes.ts'

/** Share of a planning round's episodes that set the next round's distribution. */
const ELITE_SHARE = 0.1

export interface PlanContext {
  space: SearchSpace
  options: RlOptions
  encoding: GpEncoding
  /** The GP is the surrogate (else the agent's own sample is used as is). */
  useGp: boolean
  order: readonly number[]
  rng: Rng
  core: TunerCore
}

export interface PlannedEpisode {
  h: number[]
  /** log π_old(h) per step under the agent's policy. */
  logp: number[]
}

/** A round's episodes by expected improvement; whether one is fresh is checked only when asked. */
interface Ranked {
  h: number[][]
  ei: Float64Array
  /** Episode indices, highest EI first (ties: the earlier episode first). */
  byEi: number[]
  /** No finished or pending trial has the episode's configuration. */
  fresh(i: number): boolean
}

const decode = (p: PlanContext, h: readonly number[]): Config => decodeActions(p.space, p.order, h)

/** The spread, in action units (the range is 2 wide), of the episodes sampled around the best result at most. */
const LOCAL_SPREAD = 0.2

/**
 * The first round's episodes. Most come from the policy; a share (`exploration`) with its spread
 * widened to the cap (at every step, or at the categorical ones, whose few choices a narrowed spread
 * stops visiting), so the agent keeps proposing outside the region it has narrowed onto; and a share
 * (`local`) around the best real result, so the model can refine it where the policy's mean has moved on.
 */
export function candidateActions(p: PlanContext, policy: PolicyValues): number[][] {
  const { options } = p
  const { scores, u } = p.core.data
  const wide = Math.round(options.exploration * options.planning)
  const near = scores.length ? Math.round(options.local * options.planning) : 0
  const own = sampleActions(
    policy,
    p.rng,
    Math.max(0, options.planning - wide - near),
    options.actions,
  )
  const widens = (t: number) =>
    options.explore === 'all' || p.space.params[p.order[t]].type === 'categorical'
  const broad = {
    mean: policy.mean,
    spread: policy.spread.map((s, t) => (widens(t) ? options.spreadCap : s)),
  }
  const around = {
    mean: u[scores.indexOf(Math.max(...scores))] ?? policy.mean,
    spread: policy.spread.map((s) => Math.min(s, LOCAL_SPREAD)),
  }
  return [
    ...own,
    ...sampleActions(broad, p.rng, wide, options.actions),
    ...sampleActions(around, p.rng, near, options.actions),
  ]
}

/** Episodes ranked by EI. */
function rank(p: PlanContext, model: GpModel, taken: Set<string>, h: number[][]): Ranked {
  const configs = h.map((x) => decode(p, x))
  const ei = gpLogEi(model, encodeConfigs(p.encoding, configs))
  const byEi = h.map((_, i) => i).sort((a, b) => ei[b] - ei[a] || a - b)
  const known = new Map<number, boolean>()
  const fresh = (i: number): boolean => {
    let f = known.get(i)
    if (f === undefined) known.set(i, (f = !taken.has(configKey(configs[i]))))
    return f
  }
  return { h, ei, byEi, fresh }
}

/** The fresh episode with the highest EI, or the highest-EI one when none is fresh; its freshness. */
function bestOf(r: Ranked): { i: number; fresh: boolean } {
  const i = r.byEi.find((j) => r.fresh(j))
  return i === undefined ? { i: r.byEi[0], fresh: false } : { i, fresh: true }
}

/**
 * The first round, ranked. Where the policy has narrowed onto configurations already tried (a small
 * discrete space), it is widened until it proposes new ones.
 */
function firstRound(
  p: PlanContext,
  model: GpModel,
  taken: Set<string>,
  policy: PolicyValues,
): Ranked {
  let ranked = rank(p, model, taken, candidateActions(p, policy))
  for (let widen = 2; !bestOf(ranked).fresh && widen <= 16; widen *= 2) {
    const wide = { mean: policy.mean, spread: policy.spread.map((s) => s * widen) }
    ranked = rank(
      p,
      model,
      taken,
      sampleActions(wide, p.rng, p.options.planning, p.options.actions),
    )
  }
  return ranked
}

const keyOf = new WeakMap<object, string>()

/** The configurations of every finished and pending trial (keys kept per params object across asks). */
function takenKeys(ctx: TunerContext): Set<string> {
  const taken = new Set<string>()
  for (const t of [...ctx.finished, ...ctx.pending]) {
    let key = keyOf.get(t.params)
    if (key === undefined) keyOf.set(t.params, (key = configKey(t.params)))
    taken.add(key)
  }
  return taken
}

/** The GP the planner ranks episodes with: D's results, pending trials as liars; null while it cannot. */
function planningModel(p: PlanContext, ctx: TunerContext): GpModel | null {
  const { options, encoding, core } = p
  const scores = core.data.scores
  if (!p.useGp || !core.gpHyper || options.planning <= 1 || scores.length < 2) return null
  return conditionGp(
    encodeConfigs(
      encoding,
      core.data.u.map((h) => decode(p, h)),
    ),
    scores.map((s) => -s),
    core.gpHyper,
    options.warp,
    encodeConfigs(
      encoding,
      ctx.pending.map((t) => t.params),
    ),
  )
}

/** Per step, the mean and spread of the fresh episodes with the highest EI (the cross-entropy method's elites). */
function eliteDistribution(r: Ranked, steps: number): PolicyValues {
  const count = Math.max(2, Math.ceil(ELITE_SHARE * r.h.length))
  const elites: number[] = []
  for (const i of r.byEi) if (elites.length < count && r.fresh(i)) elites.push(i)
  const mean: number[] = []
  const spread: number[] = []
  for (let t = 0; t < steps; t++) {
    const xs = elites.map((i) => r.h[i][t])
    const m = xs.reduce((a, b) => a + b, 0) / xs.length
    const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length
    mean.push(m)
    spread.push(Math.max(SPREAD_FLOOR, Math.sqrt(v)))
  }
  return { mean, spread }
}

/**
 * At unordered categorical steps, half the refined episodes take a first-round episode's choice: the
 * elites' mean and spread over a choice index mean nothing there, and would settle on one category
 * before the model has weighed the others.
 */
export function mixCategorical(
  p: PlanContext,
  h: number[][],
  firstEpisodes: readonly number[][],
): void {
  const unordered = p.order.map((param) => {
    const spec = p.space.params[param]
    return spec.type === 'categorical' && !spec.ordered
  })
  for (const row of h)
    for (let t = 0; t < row.length; t++)
      if (unordered[t] && p.rng.next() < 0.5)
        row[t] = firstEpisodes[p.rng.int(firstEpisodes.length)][t]
}

/**
 * The episode to evaluate for real: the agent samples `planning` episodes and the model picks the
 * one with the highest expected improvement; with `refine` > 0, that many cross-entropy rounds
 * sample as many again around the best-ranked ones (`refineCategorical`) and the best of all is
 * kept. Its log π_old is the agent's policy's, whichever round drew it.
 */
export function planEpisode(
  p: PlanContext,
  ctx: TunerContext,
  policy: PolicyValues,
): PlannedEpisode {
  const { options } = p
  const model = planningModel(p, ctx)
  const steps = policy.mean.length
  if (!model) {
    const h = sampleActions(policy, p.rng, 1, options.actions)[0]
    return { h, logp: logProbs(policy, [h], options.actions)[0] }
  }
  const taken = takenKeys(ctx)
  let ranked = firstRound(p, model, taken, policy)
  const firstEpisodes = ranked.h
  const first = bestOf(ranked)
  let pick = { h: ranked.h[first.i], ei: ranked.ei[first.i], fresh: first.fresh }
  for (let round = 0; round < options.refine && bestOf(ranked).fresh; round++) {
    const elite = eliteDistribution(ranked, steps)
    const h = sampleActions(elite, p.rng, options.planning, options.actions)
    if (options.refineCategorical === 'mix') mixCategorical(p, h, firstEpisodes)
    ranked = rank(p, model, taken, h)
    const best = bestOf(ranked)
    // fresh configurations first, then the higher EI
    if (best.fresh && ranked.ei[best.i] > pick.ei)
      pick = { h: ranked.h[best.i], ei: ranked.ei[best.i], fresh: true }
  }
  return { h: pick.h, logp: logProbs(policy, [pick.h], options.actions)[0] }
}
