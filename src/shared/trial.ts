import type { AgentSnapshot } from './agentSnapshot.ts'
import type { Config } from './searchSpace.ts'
import type { TrialPlacement } from './trialPlacement.ts'

export type TrialState = 'queued' | 'running' | 'complete' | 'pruned' | 'failed' | 'interrupted'
export type FinishedState = 'complete' | 'pruned' | 'failed'

export const TRIAL_STATES: readonly TrialState[] = [
  'queued',
  'running',
  'complete',
  'pruned',
  'failed',
  'interrupted',
]

export const isFinished = (s: TrialState): s is FinishedState =>
  s === 'complete' || s === 'pruned' || s === 'failed'

export interface IntermediateValue {
  step: number
  value: number
}

/** JSON-compatible data (tuner per-trial data, user attributes). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

export interface TrialRecord {
  id: number
  studyId: number
  number: number
  state: TrialState
  params: Config
  /** Final value (complete), last intermediate value (pruned), null otherwise. */
  value: number | null
  startedAt: string | null
  finishedAt: string | null
  error: string | null
  /** Compute backend that ran the trial ("xgboost 1.7.4 nthread=1", "tfjs wasm", "command"). */
  backend: string | null
  userAttrs: Record<string, Json>
  /** The tuner's per-trial data (for MBRL: the sampled actions and their log-probabilities). */
  tunerData: Json
  agentSnapshot: AgentSnapshot | null
  /** Score of this configuration on the held-out test set, when the study scored its best there. */
  testScore: number | null
  /** Its Slurm job, when the study runs trials on a cluster; null on this machine. */
  placement: TrialPlacement | null
}

/** What a tuner learns from: a finished trial, its value turned into a loss (lower is better). */
export interface FinishedTrial {
  number: number
  state: FinishedState
  params: Config
  value: number | null
  /** value for minimize studies, −value for maximize; null for a failed trial. */
  loss: number | null
  intermediate: readonly IntermediateValue[]
  tunerData: Json
}

/** A complete trial as a tuner is told it; the loss is the value unless given (maximize: −value). */
export function completeTrial(
  number: number,
  params: Config,
  value: number,
  extra: { loss?: number; tunerData?: Json } = {},
): FinishedTrial {
  return {
    number,
    state: 'complete',
    params,
    value,
    loss: extra.loss ?? value,
    intermediate: [],
    tunerData: extra.tunerData ?? null,
  }
}

export interface PendingTrial {
  number: number
  params: Config
  tunerData: Json
}
