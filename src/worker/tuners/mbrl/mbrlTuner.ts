// Runs in the study's tuner worker: the model-based RL tuner (spec mbrl-tuner.md) and its two
// ablations, `rl` (no model phase) and `rl-onestep` (feed-forward agent), behind the Tuner contract.
import type { AgentSnapshot } from '../../../shared/agentSnapshot.ts'
import { createRng, restoreRng } from '../../../shared/rng.ts'
import { configKey } from '../../../shared/spaceCodec.ts'
import type { FinishedTrial, Json } from '../../../shared/trial.ts'
import type { Proposal, Tuner, TunerContext, TunerInit } from '../../../shared/tuner.ts'
import { createGpEncoding } from '../gp/gpEncoding.ts'
import {
  agentOrder,
  clipUnit,
  decodeActions,
  describePolicy,
  encodeActions,
} from './actionCodec.ts'
import { createAdam, type AdamState } from './adam.ts'
import {
  decodeTunerState,
  emptyCore,
  encodeTunerState,
  type RlTunerKind,
  type TunerCore,
} from './agentState.ts'
import { conditionGp, encodeConfigs, gpLogEi } from './gpSurrogate.ts'
import { createOneStepAgent, oneStepAgentShapes } from './oneStepAgent.ts'
import { createLstmAgent, lstmAgentShapes } from './policyAgent.ts'
import { SPREAD_FLOOR, uniformInit, type PolicyNet } from './policyNet.ts'
import { guardedPpoUpdate, type PpoOptions } from './ppoUpdate.ts'
import { advantages, quantileAdvantage } from './rewardBaseline.ts'
import { rlOptions, type RlOptions } from './rlOptions.ts'
import { runModelPhase, type PhaseContext } from './modelPhase.ts'
import { logProbs, policyValues, sampleEpisodes, type PolicyValues } from './sampleEpisodes.ts'

export type { RlTunerKind } from './agentState.ts'

/** Gradient-norm clip of every PPO update (spec §4). */
const MAX_GRAD_NORM = 0.5
const MODEL_UPDATES_PER_DELTA = 10

export interface RlTuner extends Tuner {
  snapshot(): AgentSnapshot | null
}

/** Initial weights: uniform(±0.08), the spread heads' biases set so σ starts at `initialSpread`. */
function initialWeights(
  shapes: number[][],
  options: RlOptions,
  rng: ReturnType<typeof createRng>,
): Float64Array[] {
  const weights = shapes.map((s) => uniformInit(s, rng))
  if (options.initialSpread !== null) {
    const s0 = Math.log(Math.expm1(options.initialSpread - SPREAD_FLOOR))
    const heads = weights[weights.length - 1]
    for (let j = 1; j < heads.length; j += 2) heads[j] = s0
  }
  return weights
}

export function createMbrlTuner(init: TunerInit & { kind: RlTunerKind }): RlTuner {
  const { space, kind } = init
  const options = rlOptions(kind, init.options)
  const steps = space.params.length
  const ppo: PpoOptions = {
    clipEpsilon: options.clipEpsilon,
    epochs: options.ppoEpochs,
    maxGradNorm: MAX_GRAD_NORM,
    learningRate: options.learningRate,
    maxUpdateKl: options.updateKl,
    distribution: options.actions,
  }
  // model updates get a trust region of δ/10 (mean over steps), so a phase takes about ten updates
  // or more and the update that crosses δ overshoots it by little [ours]
  const deltaPerStep = options.klReduction === 'sum' ? options.delta / steps : options.delta
  const modelPpo: PpoOptions = {
    ...ppo,
    maxUpdateKl: options.updateKl > 0 ? deltaPerStep / MODEL_UPDATES_PER_DELTA : 0,
  }
  const shapes = kind === 'rl-onestep' ? oneStepAgentShapes(steps) : lstmAgentShapes()
  const makeNet = (weights: Float64Array[]): PolicyNet =>
    kind === 'rl-onestep'
      ? createOneStepAgent(steps, weights, options.spreadCap)
      : createLstmAgent(steps, weights, options.spreadCap)
  const encoding = createGpEncoding(space)
  const useGp = options.surrogate === 'gp' && encoding.width > 0

  // construction draws from the RNG in a fixed order: agent order, then initial weights
  let rng = createRng(init.seed)
  let order = agentOrder(space, options.order, rng)
  let net = makeNet(initialWeights(shapes, options, rng))
  let adam: AdamState = createAdam(net.weights)
  let core: TunerCore = emptyCore()
  const orderNames = (): string[] => order.map((i) => space.params[i].name)
  const decode = (h: readonly number[]) => decodeActions(space, order, h)

  function buildSnapshot(policy: PolicyValues): AgentSnapshot {
    const snapshot: AgentSnapshot = {
      tuner: kind,
      phase: core.modelTrained ? 'model' : 'real',
      realEpisodes: core.realEpisodes,
      modelEpisodes: core.modelEpisodes,
      params: describePolicy(space, order, policy.mean, policy.spread),
      delta: options.delta,
      kl: core.kl,
      lastModelPhase: core.lastModelPhase,
      surrogateHoldoutError: core.surrogateError,
      surrogateR2: core.surrogateR2,
    }
    if (core.warning) snapshot.warning = core.warning
    return snapshot
  }

  /** h and log π_old stored with the trial at ask(), remapped if the order was saved differently. */
  function storedActions(data: Json): { h: number[]; logp: number[] } | null {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return null
    const { h, logp } = data
    const numbers = (v: Json | undefined): v is number[] =>
      Array.isArray(v) &&
      v.length === steps &&
      v.every((x) => typeof x === 'number' && Number.isFinite(x))
    if (!numbers(h) || !numbers(logp)) return null
    const saved = data.order
    const names = orderNames()
    if (!Array.isArray(saved) || saved.join('\n') === names.join('\n')) return { h, logp }
    const at = names.map((name) => saved.indexOf(name))
    if (at.some((i) => i < 0)) return null
    return { h: at.map((i) => h[i]), logp: at.map((i) => logp[i]) }
  }

  function realAdvantage(reward: number): number {
    if (options.rewards === 'rank') return quantileAdvantage(reward, [...core.data.scores, reward])
    const adv = advantages(core.baselines.real, [reward])
    core.baselines.real = adv.baseline
    return adv.advantages[0]
  }

  function learnFromReal(trial: FinishedTrial): void {
    core.warning = null
    const loss = trial.loss
    core.realEpisodes += 1
    core.sincePhase += 1
    if (loss !== null && !Number.isFinite(loss)) {
      core.warning = `trial ${trial.number} reported a non-finite value (${loss}); the agent skipped it and keeps sampling from its last good policy`
    } else {
      const reward = loss === null ? core.worstReward : -loss
      // a failed trial before any real reward carries no information yet
      if (reward !== null) {
        const policy = policyValues(net.policy())
        const stored = storedActions(trial.tunerData)
        const h = stored?.h ?? encodeActions(space, order, trial.params, policy.mean)
        const logp = stored?.logp ?? logProbs(policy, [h], options.actions)[0]
        const batch = { h: [h], logpOld: [logp], advantage: [realAdvantage(reward)] }
        const result = guardedPpoUpdate(net, adam, batch, ppo)
        if (result.restored)
          core.warning = `trial ${trial.number}: the PPO update diverged (loss ${result.loss}, gradient norm ${result.gradNorm}); kept the last good weights`
        else core.modelTrained = false
        if (loss !== null) {
          core.data.u.push(h.map(clipUnit))
          core.data.scores.push(reward)
          core.worstReward = core.worstReward === null ? reward : Math.min(core.worstReward, reward)
        }
      }
    }
    const due =
      core.realEpisodes === options.firstPhase ||
      (core.realEpisodes > options.firstPhase && core.sincePhase >= options.phaseEvery)
    if (kind === 'mbrl' && due) {
      core.sincePhase = 0
      core.phaseDue = true
    }
  }

  const phaseContext = (): PhaseContext => ({
    net,
    adam,
    rng,
    core,
    options,
    modelPpo,
    features: useGp ? (u) => encodeConfigs(encoding, u.map(decode)) : null,
  })

  /** The agent samples `planning` episodes; the model picks the one with the highest expected improvement. */
  function plan(ctx: TunerContext, policy: PolicyValues): { h: number[]; logp: number[] } {
    const scores = core.data.scores
    const active = useGp && core.gpHyper && options.planning > 1 && scores.length >= 2
    if (!active) {
      const one = sampleEpisodes(policy, rng, 1, options.actions)
      return { h: one.h[0], logp: one.logp[0] }
    }
    // a share of the candidates comes from the policy with its spread widened to the cap: the agent
    // keeps proposing outside the region it has narrowed onto, and the model judges those too
    const wide = Math.round(options.exploration * options.planning)
    const local = sampleEpisodes(policy, rng, options.planning - wide, options.actions)
    const broad = { mean: policy.mean, spread: policy.spread.map(() => options.spreadCap) }
    const far = sampleEpisodes(broad, rng, wide, options.actions).h
    let episodes = {
      ...local,
      h: [...local.h, ...far],
      logp: [...local.logp, ...logProbs(policy, far, options.actions)],
    }
    const taken = new Set([...ctx.finished, ...ctx.pending].map((t) => configKey(t.params)))
    let configs = episodes.h.map(decode)
    let fresh = configs.map((c) => !taken.has(configKey(c)))
    // the policy has narrowed onto configurations already tried (a small discrete space): widen it
    // until it proposes new ones; log π_old stays the policy's own
    for (let widen = 2; !fresh.includes(true) && widen <= 16; widen *= 2) {
      const wide = { mean: policy.mean, spread: policy.spread.map((s) => s * widen) }
      const h = sampleEpisodes(wide, rng, options.planning, options.actions).h
      episodes = { ...episodes, h, logp: logProbs(policy, h, options.actions) }
      configs = h.map(decode)
      fresh = configs.map((c) => !taken.has(configKey(c)))
    }
    const model = conditionGp(
      encodeConfigs(encoding, core.data.u.map(decode)),
      scores.map((s) => -s),
      core.gpHyper!,
      options.warp,
      encodeConfigs(
        encoding,
        ctx.pending.map((p) => p.params),
      ),
    )
    if (!model) return { h: episodes.h[0], logp: episodes.logp[0] }
    const ei = gpLogEi(model, encodeConfigs(encoding, configs))
    let best = 0
    for (let i = 1; i < ei.length; i++)
      if ((fresh[i] && !fresh[best]) || (fresh[i] === fresh[best] && ei[i] > ei[best])) best = i
    return { h: episodes.h[best], logp: episodes.logp[best] }
  }

  const tuner: RlTuner = {
    async ask(ctx): Promise<Proposal> {
      if (core.phaseDue) {
        core.phaseDue = false
        try {
          runModelPhase(phaseContext())
        } catch (error) {
          core.warning = `the model phase failed (${String(error)}); the agent goes on from real trials`
        }
      }
      const policy = policyValues(net.policy())
      const { h, logp } = plan(ctx, policy)
      const agentSnapshot = buildSnapshot(policy)
      core.lastSnapshot = agentSnapshot
      return { params: decode(h), tunerData: { h, logp, order: orderNames() }, agentSnapshot }
    },

    async tell(trial: FinishedTrial): Promise<void> {
      try {
        learnFromReal(trial)
        core.lastSnapshot = buildSnapshot(policyValues(net.policy()))
      } catch (error) {
        core.warning = `trial ${trial.number}: the agent could not learn from it (${String(error)})`
        if (core.lastSnapshot) core.lastSnapshot = { ...core.lastSnapshot, warning: core.warning }
      }
    },

    saveState(): Uint8Array {
      return encodeTunerState({
        kind,
        order: orderNames(),
        rng: rng.state(),
        agent: {
          weights: net.weights,
          adam: adam.step > 0 ? { m: adam.m, v: adam.v, step: adam.step } : null,
        },
        core,
      })
    },

    loadState(bytes: Uint8Array): void {
      const state = decodeTunerState(bytes, kind, orderNames())
      const index = new Map(space.params.map((p, i) => [p.name, i]))
      order = state.order.map((name) => index.get(name) as number)
      rng = restoreRng(state.rng)
      net = makeNet(state.agent ? state.agent.weights : initialWeights(shapes, options, rng))
      adam = createAdam(net.weights)
      if (state.agent?.adam) adam = { ...state.agent.adam }
      core = state.core
    },

    snapshot: () => core.lastSnapshot,
  }
  return tuner
}
