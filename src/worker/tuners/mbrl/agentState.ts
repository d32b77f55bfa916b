// Runs in the tuner worker: everything an RL tuner needs to continue after a restart (spec §8),
// as one JSON blob with the float32 arrays in base64 so they restore bit for bit.
import {
  RL_TUNERS,
  type AgentSnapshot,
  type ModelPhaseRecord,
} from '../../../shared/agentSnapshot.ts'
import { z } from 'zod'
import { rngStateSchema, type RngState } from '../../../shared/rng.ts'
import { decodeJsonState, encodeJsonState } from '../../../shared/tuner.ts'
import type { RewardBaseline } from './rewardBaseline.ts'
import type { PolicyValues } from './sampleEpisodes.ts'
import type { SurrogateModel } from './surrogateModel.ts'

export type RlTunerKind = (typeof RL_TUNERS)[number]
export const STATE_VERSION = 1

/** The tuner's plain-data state (everything but the agent's tensors and the RNG object). */
export interface TunerCore {
  realEpisodes: number
  modelEpisodes: number
  /** Real results since the last model phase. */
  sincePhase: number
  /**
   * A model phase is owed: it runs at the next ask(), so a study's last result starts none (a
   * state saved by an earlier version lacks the field: none owed).
   */
  phaseDue?: boolean
  baselines: { real: RewardBaseline; model: RewardBaseline }
  /** Lowest real reward so far: what a failed trial is told as. */
  worstReward: number | null
  /** D: real points u ∈ [−1, 1]^n in agent order and their scores (−loss). */
  data: { u: number[][]; scores: number[] }
  surrogate: SurrogateModel | null
  surrogateR2: number | null
  surrogateError: number | null
  /** P̂: the policy when the last model phase began. */
  phaseSnapshot: PolicyValues | null
  kl: number | null
  lastModelPhase: ModelPhaseRecord | null
  /** True while the latest policy change came from a model phase. */
  modelTrained: boolean
  warning: string | null
  lastSnapshot: AgentSnapshot | null
}

export interface AgentArrays {
  weights: Float32Array[]
  /** Adam moments and step; null before the first update. */
  adam: { m: Float32Array[]; v: Float32Array[]; step: number } | null
}

export interface TunerState {
  kind: RlTunerKind
  /** Parameter names in agent order. */
  order: string[]
  rng: RngState
  agent: AgentArrays
  core: TunerCore
}

export function emptyCore(): TunerCore {
  const baseline = { mean: 0, variance: 0, count: 0 }
  return {
    realEpisodes: 0,
    modelEpisodes: 0,
    sincePhase: 0,
    phaseDue: false,
    baselines: { real: { ...baseline }, model: { ...baseline } },
    worstReward: null,
    data: { u: [], scores: [] },
    surrogate: null,
    surrogateR2: null,
    surrogateError: null,
    phaseSnapshot: null,
    kl: null,
    lastModelPhase: null,
    modelTrained: false,
    warning: null,
    lastSnapshot: null,
  }
}

const toBase64 = (a: Float32Array): string =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64')

function fromBase64(s: string): Float32Array {
  const bytes = Buffer.from(s, 'base64')
  const out = new Float32Array(bytes.byteLength / 4)
  new Uint8Array(out.buffer).set(bytes)
  return out
}

type Saved = Omit<TunerState, 'agent' | 'core'> & {
  version: number
  agent: { weights: string[]; adam: { m: string[]; v: string[]; step: number } | null }
  core: Omit<TunerCore, 'surrogate'> & {
    surrogate: (Omit<SurrogateModel, 'members'> & { members: string[][] }) | null
  }
}

export function encodeTunerState(state: TunerState): Uint8Array {
  const { agent, core } = state
  const saved: Saved = {
    version: STATE_VERSION,
    kind: state.kind,
    order: state.order,
    rng: state.rng,
    agent: {
      weights: agent.weights.map(toBase64),
      adam: agent.adam && {
        m: agent.adam.m.map(toBase64),
        v: agent.adam.v.map(toBase64),
        step: agent.adam.step,
      },
    },
    core: {
      ...core,
      surrogate: core.surrogate && {
        ...core.surrogate,
        members: core.surrogate.members.map((m) => m.map(toBase64)),
      },
    },
  }
  return encodeJsonState(saved)
}

/**
 * What is checked field by field: the version first, which pins the shape of the rest (the tuner's core,
 * written by this same code), the kind and parameters, and the arrays that restore the agent.
 */
const savedSchema = z.looseObject({
  version: z.number().int(),
  kind: z.enum(RL_TUNERS),
  order: z.array(z.string()),
  rng: rngStateSchema,
  agent: z.object({
    weights: z.array(z.string()),
    adam: z.object({ m: z.array(z.string()), v: z.array(z.string()), step: z.number() }).nullable(),
  }),
  core: z.looseObject({}),
})

/** Throws with a clear message on a blob from another tuner or version. */
export function decodeTunerState(
  bytes: Uint8Array,
  kind: RlTunerKind,
  order: readonly string[],
): TunerState {
  const checked = decodeJsonState(bytes, savedSchema, kind)
  if (checked.version !== STATE_VERSION)
    throw new Error(
      `tuner state version ${checked.version}, this build reads version ${STATE_VERSION}`,
    )
  const saved = checked as unknown as Saved
  if (saved.kind !== kind) throw new Error(`tuner state is for "${saved.kind}", not "${kind}"`)
  if ([...saved.order].sort().join('\n') !== [...order].sort().join('\n'))
    throw new Error(
      `tuner state is for parameters ${saved.order.join(', ')}, the space has ${order.join(', ')}`,
    )
  return {
    kind: saved.kind,
    order: saved.order,
    rng: saved.rng,
    agent: {
      weights: saved.agent.weights.map(fromBase64),
      adam: saved.agent.adam && {
        m: saved.agent.adam.m.map(fromBase64),
        v: saved.agent.adam.v.map(fromBase64),
        step: saved.agent.adam.step,
      },
    },
    core: {
      ...saved.core,
      surrogate: saved.core.surrogate && {
        ...saved.core.surrogate,
        members: saved.core.surrogate.members.map((m) => m.map(fromBase64)),
      },
    },
  }
}
