import type { ParamValue } from './searchSpace.ts'

/** The RL agent's view of one hyperparameter: its Gaussian policy in [−1, 1] and what that means in real units. */
export interface AgentParamPolicy {
  name: string
  /** μ' = tanh(m): the policy mean in the agent's action space [−1, 1]. */
  mean: number
  /** σ: the policy spread in action space. */
  spread: number
  /** μ' decoded to the parameter's real units. */
  meanValue: ParamValue
  /** μ' − σ and μ' + σ decoded (clipped to [−1, 1] first), for a band in the chart. */
  lowValue: ParamValue
  highValue: ParamValue
}

export interface ModelPhaseRecord {
  /** Real episodes done when the phase ran. */
  atRealEpisode: number
  /** Model episodes in this phase (0 when skipped). */
  episodes: number
  /** KL(snapshot ‖ policy) at the end of the phase, against delta. */
  kl: number
  skipped: boolean
  /** Why a phase was skipped ("surrogate R² -0.31 < 0"). */
  reason?: string
  surrogateR2: number | null
  /**
   * How unsure the surrogate was on the phase's model episodes, in score units, averaged: the
   * standard deviation of an ensemble's 5 members, or the GP's posterior standard deviation; null
   * for one MLP.
   */
  ensembleSpread?: number | null
  /** Wall-clock time of the phase (surrogate fit and model episodes), ms. */
  durationMs?: number
}

/** Recorded with every proposal of an RL tuner (mbrl, rl, rl-onestep); the UI's agent panel draws it. */
export interface AgentSnapshot {
  tuner: 'mbrl' | 'rl' | 'rl-onestep'
  phase: 'real' | 'model'
  realEpisodes: number
  modelEpisodes: number
  params: AgentParamPolicy[]
  delta: number
  /** KL(snapshot ‖ current policy) after the last model phase; null before the first. */
  kl: number | null
  lastModelPhase: ModelPhaseRecord | null
  /** Surrogate hold-out RMSE in score units; null before the first fit. */
  surrogateHoldoutError: number | null
  surrogateR2: number | null
  /** Set when the tuner fell back to the last good policy (NaN reward, diverging update). */
  warning?: string
}
