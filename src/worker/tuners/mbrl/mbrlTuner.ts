// Runs in the study's tuner worker: the model-based RL tuner (spec mbrl-tuner.md) and its two
// ablations, `rl` (no model phase) and `rl-onestep` (feed-forward agent), behind the Tuner contract.
import * as tf from '@tensorflow/tfjs'
import type { AgentSnapshot } from '../../../shared/agentSnapshot.ts'
import type { Json, FinishedTrial } from '../../../shared/trial.ts'
import { createRng, restoreRng } from '../../../shared/rng.ts'
import { sampleConfig } from '../../../shared/spaceCodec.ts'
import type { Proposal, Tuner, TunerInit } from '../../../shared/tuner.ts'
import { tunerSpecSchema } from '../../../shared/tunerSpec.ts'
import {
  agentOrder,
  clipUnit,
  decodeActions,
  describePolicy,
  encodeActions,
} from './actionCodec.ts'
import { createAdam, disposeAdam, type AdamState } from './adam.ts'
import {
  decodeTunerState,
  emptyCore,
  encodeTunerState,
  type AgentArrays,
  type RlTunerKind,
  type TunerCore,
} from './agentState.ts'
import { runModelPhase } from './klHorizon.ts'
import { createOneStepAgent, oneStepAgentShapes } from './oneStepAgent.ts'
import { createLstmAgent, lstmAgentShapes } from './policyAgent.ts'
import { uniformInit, type PolicyNet } from './policyNet.ts'
import { guardedPpoUpdate, type PpoOptions } from './ppoUpdate.ts'
import { advantages } from './rewardBaseline.ts'
import { logProbs, readPolicy, sampleEpisodes, type PolicyValues } from './sampleEpisodes.ts'
import { useCpuBackend } from './tfCpu.ts'

export type { RlTunerKind } from './agentState.ts'

/** Gradient-norm clip of every PPO update (spec §4). */
const MAX_GRAD_NORM = 0.5
const MODEL_UPDATES_PER_DELTA = 10

export interface RlTuner extends Tuner {
  snapshot(): AgentSnapshot | null
  /** Frees the agent's tensors (the worker otherwise keeps one tuner per study for its lifetime). */
  dispose(): void
}

export interface RlOptions {
  delta: number
  realPerPhase: number
  modelBatch: number
  maxModelEpisodes: number
  surrogate: 'mlp' | 'ensemble'
  surrogateWindow: number
  learningRate: number
  order: 'shuffled' | 'file'
  klReduction: 'mean' | 'sum'
  clipEpsilon: number
  ppoEpochs: number
  updateKl: number
}

/** The study file's options with the schema's defaults filled in. */
export function rlOptions(kind: RlTunerKind, options: Record<string, unknown>): RlOptions {
  const { kind: _kind, ...rest } = tunerSpecSchema.parse({ ...options, kind }) as RlOptions & {
    kind: string
  }
  return rest
}

interface Agent {
  net: PolicyNet
  adam: AdamState
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
  }
  // model updates get a trust region of δ/10 (mean over steps), so a phase takes about ten updates
  // or more and the update that crosses δ overshoots it by little [ours]
  const deltaPerStep = options.klReduction === 'sum' ? options.delta / steps : options.delta
  const modelPpo: PpoOptions = {
    ...ppo,
    maxUpdateKl: options.updateKl > 0 ? deltaPerStep / MODEL_UPDATES_PER_DELTA : 0,
  }
  const shapes = kind === 'rl-onestep' ? oneStepAgentShapes(steps) : lstmAgentShapes()
  const makeNet = (weights: Float32Array[]): PolicyNet =>
    kind === 'rl-onestep'
      ? createOneStepAgent(steps, rng, weights)
      : createLstmAgent(steps, rng, weights)

  // construction draws from the RNG in a fixed order: agent order, then initial weights
  let rng = createRng(init.seed)
  let order = agentOrder(space, options.order, rng)
  let pending: AgentArrays | null = {
    weights: shapes.map((s) => uniformInit(s, rng)),
    adam: null,
  }
  let agent: Agent | null = null
  let core: TunerCore = emptyCore()
  const orderNames = (): string[] => order.map((i) => space.params[i].name)

  async function ready(): Promise<Agent> {
    await useCpuBackend()
    if (!agent) {
      const arrays = pending as AgentArrays
      const net = makeNet(arrays.weights)
      const adam = createAdam(net.variables)
      if (arrays.adam) {
        tf.dispose([...adam.m, ...adam.v])
        adam.m = arrays.adam.m.map((m, i) => tf.keep(tf.tensor(m, net.variables[i].shape)))
        adam.v = arrays.adam.v.map((v, i) => tf.keep(tf.tensor(v, net.variables[i].shape)))
        adam.step = arrays.adam.step
      }
      agent = { net, adam }
      pending = null
    }
    return agent
  }

  function agentArrays(): AgentArrays {
    if (!agent) return pending as AgentArrays
    const copy = (t: tf.Tensor): Float32Array => (t.dataSync() as Float32Array).slice()
    const { net, adam } = agent
    return {
      weights: net.variables.map(copy),
      adam: adam.step > 0 ? { m: adam.m.map(copy), v: adam.v.map(copy), step: adam.step } : null,
    }
  }

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

  function learnFromReal(trial: FinishedTrial, a: Agent): void {
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
        const policy = readPolicy(a.net)
        const stored = storedActions(trial.tunerData)
        const h = stored?.h ?? encodeActions(space, order, trial.params, policy.mean)
        const logp = stored?.logp ?? logProbs(policy, [h])[0]
        const adv = advantages(core.baselines.real, [reward])
        core.baselines.real = adv.baseline
        const result = guardedPpoUpdate(
          a.net,
          a.adam,
          { h: [h], logpOld: [logp], advantage: adv.advantages },
          ppo,
        )
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
    if (kind === 'mbrl' && core.sincePhase >= options.realPerPhase) {
      core.sincePhase = 0
      core.phaseDue = true
    }
  }

  function modelPhase(a: Agent): void {
    const window = options.surrogateWindow
    const from = window > 0 ? Math.max(0, core.data.scores.length - window) : 0
    const result = runModelPhase({
      net: a.net,
      adam: a.adam,
      rng,
      u: core.data.u.slice(from),
      scores: core.data.scores.slice(from),
      baseline: core.baselines.model,
      atRealEpisode: core.realEpisodes,
      options: { ...options, ppo: modelPpo },
    })
    core.lastModelPhase = result.record
    core.phaseSnapshot = result.snapshot
    core.baselines.model = result.baseline
    core.modelEpisodes += result.record.episodes
    if (!result.record.skipped) core.kl = result.record.kl
    if (result.record.episodes > 0) core.modelTrained = true
    if (result.fit) {
      core.surrogate = result.fit.model
      core.surrogateR2 = result.fit.cvR2
      core.surrogateError = result.fit.holdoutRmse ?? result.fit.cvRmse
    }
    if (result.warning) core.warning = result.warning
  }

  const tuner: RlTuner = {
    async ask(): Promise<Proposal> {
      let a: Agent
      try {
        a = await ready()
      } catch (error) {
        core.warning = `the agent could not start (${String(error)}); proposing a random configuration`
        return { params: sampleConfig(space, rng) }
      }
      if (core.phaseDue) {
        core.phaseDue = false
        try {
          modelPhase(a)
        } catch (error) {
          core.warning = `the model phase failed (${String(error)}); the agent goes on from real trials`
        }
      }
      const episode = sampleEpisodes(a.net, rng, 1)
      const h = episode.h[0]
      const agentSnapshot = buildSnapshot(episode)
      core.lastSnapshot = agentSnapshot
      return {
        params: decodeActions(space, order, h),
        tunerData: { h, logp: episode.logp[0], order: orderNames() },
        agentSnapshot,
      }
    },

    async tell(trial: FinishedTrial): Promise<void> {
      try {
        const a = await ready()
        learnFromReal(trial, a)
        core.lastSnapshot = buildSnapshot(readPolicy(a.net))
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
        agent: agentArrays(),
        core,
      })
    },

    loadState(bytes: Uint8Array): void {
      const state = decodeTunerState(bytes, kind, orderNames())
      tuner.dispose()
      const index = new Map(space.params.map((p, i) => [p.name, i]))
      order = state.order.map((name) => index.get(name) as number)
      rng = restoreRng(state.rng)
      pending = state.agent
      core = state.core
    },

    snapshot: () => core.lastSnapshot,

    dispose(): void {
      if (!agent) return
      pending = agentArrays()
      agent.net.dispose()
      disposeAdam(agent.adam)
      agent = null
    },
  }
  return tuner
}
