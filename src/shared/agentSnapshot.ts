import { z } from 'zod'
import { paramValueSchema } from './searchSpace.ts'

/** The RL agent's view of one hyperparameter: its Gaussian policy in [−1, 1] and what that means in real units. */
const agentParamPolicySchema = z.object({
  name: z.string(),
  /** μ' = tanh(m): the policy mean in the agent's action space [−1, 1]. */
  mean: z.number(),
  /** σ: the policy spread in action space. */
  spread: z.number(),
  /** μ' decoded to the parameter's real units. */
  meanValue: paramValueSchema,
  /** μ' − σ and μ' + σ decoded (clipped to [−1, 1] first), for a band in the chart. */
  lowValue: paramValueSchema,
  highValue: paramValueSchema,
})
export type AgentParamPolicy = z.infer<typeof agentParamPolicySchema>

export const modelPhaseRecordSchema = z.object({
  /** Real episodes done when the phase ran. */
  atRealEpisode: z.number(),
  /** Model episodes in this phase (0 when skipped). */
  episodes: z.number(),
  /** KL(snapshot ‖ policy) at the end of the phase, against delta. */
  kl: z.number(),
  skipped: z.boolean(),
  /** Why a phase was skipped ("surrogate R² -0.31 < 0"). */
  reason: z.string().optional(),
  surrogateR2: z.number().nullable(),
  /**
   * With `surrogate: ensemble`: how far its 5 members disagree on the phase's model episodes (the
   * standard deviation of their predictions, in score units, averaged); null for one MLP.
   */
  ensembleSpread: z.number().nullable().optional(),
})
export type ModelPhaseRecord = z.infer<typeof modelPhaseRecordSchema>

export const RL_TUNERS = ['mbrl', 'rl', 'rl-onestep'] as const

/** Recorded with every proposal of an RL tuner (mbrl, rl, rl-onestep); the UI's agent panel draws it. */
export const agentSnapshotSchema = z.object({
  tuner: z.enum(RL_TUNERS),
  phase: z.enum(['real', 'model']),
  realEpisodes: z.number(),
  modelEpisodes: z.number(),
  params: z.array(agentParamPolicySchema),
  delta: z.number(),
  /** KL(snapshot ‖ current policy) after the last model phase; null before the first. */
  kl: z.number().nullable(),
  lastModelPhase: modelPhaseRecordSchema.nullable(),
  /** Surrogate hold-out RMSE in score units; null before the first fit. */
  surrogateHoldoutError: z.number().nullable(),
  surrogateR2: z.number().nullable(),
  /** Set when the tuner fell back to the last good policy (NaN reward, diverging update). */
  warning: z.string().optional(),
})
export type AgentSnapshot = z.infer<typeof agentSnapshotSchema>
