// Runs in the study's tuner worker: the model-based RL tuner (spec mbrl-tuner.md) and its two
// ablations, `rl` (no model phase) and `rl-onestep` (feed-forward agent), behind the Tuner contract.
import type { AgentSnapshot } from '../../../shared/agentSnapshot.ts'
import { createRng, restoreRng, type Rng } from '../../../shared/rng.ts'
import type { SearchSpace } from '../../../shared/searchSpace.ts'
import type { FinishedTrial, Json } from '../../../shared/trial.ts'
import type { Proposal, Tuner, TunerContext, TunerInit } from '../../../shared/tuner.ts'
import { createGpEncoding, type GpEncoding } from '../gp/gpEncoding.ts'
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
import { encodeConfigs } from './gpSurrogate.ts'
import { createOneStepAgent, oneStepAgentShapes } from './oneStepAgent.ts'
import { createLstmAgent, lstmAgentShapes } from './policyAgent.ts'
import { SPREAD_FLOOR, uniformInit, type PolicyNet } from './policyNet.ts'
import { guardedPpoUpdate, type PpoOptions } from './ppoUpdate.ts'
import { advantages, quantileAdvantage } from './rewardBaseline.ts'
import { rlOptions, type RlOptions } from './rlOptions.ts'
import { runModelPhase, type PhaseContext } from './modelPhase.ts'
import { planEpisode, type PlanContext } from './planner.ts'
import { logProbs, policyValues, type PolicyValues } from './sampleEpisodes.ts'

export type { RlTunerKind } from './agentState.ts'

/** Gradient-norm clip of every PPO update (spec §4). */
const MAX_GRAD_NORM = 0.5
const MODEL_UPDATES_PER_DELTA = 10

export interface RlTuner extends Tuner {
  snapshot(): AgentSnapshot | null
}

/** Initial weights: uniform(±0.08), the spread heads' biases set so σ starts at `initialSpread`. */
function initialWeights(shapes: number[][], options: RlOptions, rng: Rng): Float64Array[] {
  const weights = shapes.map((s) => uniformInit(s, rng))
  if (options.initialSpread !== null) {
    const s0 = Math.log(Math.expm1(options.initialSpread - SPREAD_FLOOR))
    const heads = weights[weights.length - 1]
    for (let j = 1; j < heads.length; j += 2) heads[j] = s0
  }
  return weights
}

/** What an RL tuner fixes at construction. */
interface RlSetup {
  space: SearchSpace
  kind: RlTunerKind
  options: RlOptions
  steps: number
  ppo: PpoOptions
  modelPpo: PpoOptions
  shapes: number[][]
  encoding: GpEncoding
  useGp: boolean
}

/** What changes as the tuner learns: saveState writes it, loadState replaces it. */
interface RlRun {
  rng: Rng
  order: number[]
  net: PolicyNet
  adam: AdamState
  core: TunerCore
}

interface Episode {
  h: number[]
  logp: number[]
}

function rlSetup(init: TunerInit & { kind: RlTunerKind }): RlSetup {
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
  const encoding = createGpEncoding(space)
  const useGp = options.surrogate === 'gp' && encoding.width > 0
  return { space, kind, options, steps, ppo, modelPpo, shapes, encoding, useGp }
}

function makeNet(setup: RlSetup, weights: Float64Array[]): PolicyNet {
  const { kind, steps, options } = setup
  return kind === 'rl-onestep'
    ? createOneStepAgent(steps, weights, options.spreadCap)
    : createLstmAgent(steps, weights, options.spreadCap)
}

const orderNames = (setup: RlSetup, run: RlRun): string[] =>
  run.order.map((i) => setup.space.params[i].name)

const decode = (setup: RlSetup, run: RlRun, h: readonly number[]) =>
  decodeActions(setup.space, run.order, h)

function buildSnapshot(setup: RlSetup, run: RlRun, policy: PolicyValues): AgentSnapshot {
  const { core } = run
  const snapshot: AgentSnapshot = {
    tuner: setup.kind,
    phase: core.modelTrained ? 'model' : 'real',
    realEpisodes: core.realEpisodes,
    modelEpisodes: core.modelEpisodes,
    params: describePolicy(setup.space, run.order, policy.mean, policy.spread),
    delta: setup.options.delta,
    kl: core.kl,
    lastModelPhase: core.lastModelPhase,
    surrogateHoldoutError: core.surrogateError,
    surrogateR2: core.surrogateR2,
  }
  if (core.warning) snapshot.warning = core.warning
  return snapshot
}

/** h and log π_old stored with the trial at ask(), remapped if the order was saved differently. */
function storedActions(setup: RlSetup, run: RlRun, data: Json): Episode | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null
  const { h, logp } = data
  const numbers = (v: Json | undefined): v is number[] =>
    Array.isArray(v) &&
    v.length === setup.steps &&
    v.every((x) => typeof x === 'number' && Number.isFinite(x))
  if (!numbers(h) || !numbers(logp)) return null
  const saved = data.order
  const names = orderNames(setup, run)
  if (!Array.isArray(saved) || saved.join('\n') === names.join('\n')) return { h, logp }
  const at = names.map((name) => saved.indexOf(name))
  if (at.some((i) => i < 0)) return null
  return { h: at.map((i) => h[i]), logp: at.map((i) => logp[i]) }
}

function realAdvantage(options: RlOptions, core: TunerCore, reward: number): number {
  if (options.rewards === 'rank') return quantileAdvantage(reward, [...core.data.scores, reward])
  const adv = advantages(core.baselines.real, [reward])
  core.baselines.real = adv.baseline
  return adv.advantages[0]
}

/** One PPO update on a real trial's reward; a finished trial's point joins D. */
function learnFromReward(setup: RlSetup, run: RlRun, trial: FinishedTrial, reward: number): void {
  const { space, options } = setup
  const { net, adam, core } = run
  const policy = policyValues(net.policy())
  const stored = storedActions(setup, run, trial.tunerData)
  const h = stored?.h ?? encodeActions(space, run.order, trial.params, policy.mean)
  const logp = stored?.logp ?? logProbs(policy, [h], options.actions)[0]
  const batch = { h: [h], logpOld: [logp], advantage: [realAdvantage(options, core, reward)] }
  const result = guardedPpoUpdate(net, adam, batch, setup.ppo)
  if (result.restored)
    core.warning = `trial ${trial.number}: the PPO update diverged (loss ${result.loss}, gradient norm ${result.gradNorm}); kept the last good weights`
  else core.modelTrained = false
  if (trial.loss !== null) {
    core.data.u.push(h.map(clipUnit))
    core.data.scores.push(reward)
    core.worstReward = core.worstReward === null ? reward : Math.min(core.worstReward, reward)
  }
}

function learnFromReal(setup: RlSetup, run: RlRun, trial: FinishedTrial): void {
  const { options } = setup
  const { core } = run
  core.warning = null
  const loss = trial.loss
  core.realEpisodes += 1
  core.sincePhase += 1
  if (loss !== null && !Number.isFinite(loss)) {
    core.warning = `trial ${trial.number} reported a non-finite value (${loss}); the agent skipped it and keeps sampling from its last good policy`
  } else {
    const reward = loss === null ? core.worstReward : -loss
    // a failed trial before any real reward carries no information yet
    if (reward !== null) learnFromReward(setup, run, trial, reward)
  }
  const due =
    core.realEpisodes === options.firstPhase ||
    (core.realEpisodes > options.firstPhase && core.sincePhase >= options.phaseEvery)
  if (setup.kind === 'mbrl' && due) {
    core.sincePhase = 0
    core.phaseDue = true
  }
}

const phaseContext = (setup: RlSetup, run: RlRun): PhaseContext => ({
  net: run.net,
  adam: run.adam,
  rng: run.rng,
  core: run.core,
  options: setup.options,
  modelPpo: setup.modelPpo,
  features: setup.useGp
    ? (u) =>
        encodeConfigs(
          setup.encoding,
          u.map((h) => decode(setup, run, h)),
        )
    : null,
})

const planContext = (setup: RlSetup, run: RlRun): PlanContext => ({
  space: setup.space,
  options: setup.options,
  encoding: setup.encoding,
  useGp: setup.useGp,
  order: run.order,
  rng: run.rng,
  core: run.core,
})

function ask(setup: RlSetup, run: RlRun, ctx: TunerContext): Proposal {
  const { core } = run
  if (core.phaseDue) {
    core.phaseDue = false
    try {
      runModelPhase(phaseContext(setup, run))
    } catch (error) {
      core.warning = `the model phase failed (${String(error)}); the agent goes on from real trials`
    }
  }
  const policy = policyValues(run.net.policy())
  const { h, logp } = planEpisode(planContext(setup, run), ctx, policy)
  const agentSnapshot = buildSnapshot(setup, run, policy)
  core.lastSnapshot = agentSnapshot
  return {
    params: decode(setup, run, h),
    tunerData: { h, logp, order: orderNames(setup, run) },
    agentSnapshot,
  }
}

function tell(setup: RlSetup, run: RlRun, trial: FinishedTrial): void {
  const { core } = run
  try {
    learnFromReal(setup, run, trial)
    core.lastSnapshot = buildSnapshot(setup, run, policyValues(run.net.policy()))
  } catch (error) {
    core.warning = `trial ${trial.number}: the agent could not learn from it (${String(error)})`
    if (core.lastSnapshot) core.lastSnapshot = { ...core.lastSnapshot, warning: core.warning }
  }
}

function saveState(setup: RlSetup, run: RlRun): Uint8Array {
  const { adam } = run
  return encodeTunerState({
    kind: setup.kind,
    order: orderNames(setup, run),
    rng: run.rng.state(),
    agent: {
      weights: run.net.weights,
      adam: adam.step > 0 ? { m: adam.m, v: adam.v, step: adam.step } : null,
    },
    core: run.core,
  })
}

function loadState(setup: RlSetup, run: RlRun, bytes: Uint8Array): void {
  const { space } = setup
  const state = decodeTunerState(bytes, setup.kind, orderNames(setup, run))
  const index = new Map(space.params.map((p, i) => [p.name, i]))
  run.order = state.order.map((name) => index.get(name) as number)
  run.rng = restoreRng(state.rng)
  run.net = makeNet(
    setup,
    state.agent ? state.agent.weights : initialWeights(setup.shapes, setup.options, run.rng),
  )
  run.adam = createAdam(run.net.weights)
  if (state.agent?.adam) run.adam = { ...state.agent.adam }
  run.core = state.core
}

export function createMbrlTuner(init: TunerInit & { kind: RlTunerKind }): RlTuner {
  const setup = rlSetup(init)
  // construction draws from the RNG in a fixed order: agent order, then initial weights
  const rng = createRng(init.seed)
  const order = agentOrder(setup.space, setup.options.order, rng)
  const net = makeNet(setup, initialWeights(setup.shapes, setup.options, rng))
  const run: RlRun = { rng, order, net, adam: createAdam(net.weights), core: emptyCore() }
  return {
    ask: async (ctx) => ask(setup, run, ctx),
    tell: async (trial) => tell(setup, run, trial),
    saveState: () => saveState(setup, run),
    loadState: (bytes) => loadState(setup, run, bytes),
    snapshot: () => run.core.lastSnapshot,
  }
}
