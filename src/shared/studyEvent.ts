import type { StudyState } from './study.ts'
import type { Config } from './searchSpace.ts'
import type { TrialState } from './trial.ts'
import type { TrialPlacement } from './trialPlacement.ts'

/** What a running study tells its watchers: the CLI prints these, the UI shows them live (IPC or WebSocket). */
export type StudyEvent =
  | { type: 'study-state'; studyId: number; state: StudyState; error: string | null }
  | {
      type: 'trial-started'
      studyId: number
      trialNumber: number
      params: Config
      startedAt: string
    }
  | { type: 'intermediate'; studyId: number; trialNumber: number; step: number; value: number }
  | {
      type: 'trial-finished'
      studyId: number
      trialNumber: number
      state: TrialState
      value: number | null
      error: string | null
      /** True when this trial became the study's best. */
      isBest: boolean
    }
  /** A running trial's executor placement changed (Slurm: submitted → pending in the queue → running on a node). */
  | { type: 'trial-placement'; studyId: number; trialNumber: number; placement: TrialPlacement }
  | { type: 'warning'; studyId: number; message: string }
