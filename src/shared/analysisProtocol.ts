// The analysis worker's part of the one worker protocol (workerProtocol.ts): importance, downsampled curves
// and history for big studies, and the data-set check of the UI (with the trainers' own readers).
import type { SearchSpace, Config } from './searchSpace.ts'
import type { DatasetRef, DatasetSummary } from './studioApi.ts'
import type { Direction } from './study.ts'
import type { IntermediateValue, TrialState } from './trial.ts'

/** Trials to learn from: complete trials only (a pruned trial's value is at a lower fidelity). */
export interface ImportanceInput {
  space: SearchSpace
  trials: { params: Config; value: number }[]
  /** One random forest per seed; the spread over seeds is the error bar. */
  seeds: number[]
  /** Trees stop growing past this budget (at least one tree per seed is always grown). */
  timeBudgetMs: number
  /** A study with more usable trials is subsampled (seeded, uniform) to this many. */
  maxTrials: number
  /** Trees per forest (default 64, as Optuna's FanovaImportanceEvaluator). */
  nTrees?: number
}

export interface ParamImportance {
  name: string
  /** Mean over seeds of the normalized individual fANOVA importance (the params sum to 1). */
  mean: number
  /** Population standard deviation over seeds. */
  std: number
  /** One normalized importance per seed, in the order of `seeds`. */
  perSeed: number[]
}

export interface ImportanceResult {
  /** Most important first (space order between equals). */
  params: ParamImportance[]
  trialsUsed: number
  subsampled: boolean
  elapsedMs: number
  /** Trees actually grown per seed (fewer than asked when the time budget ran out). */
  treesPerSeed: number[]
  /** Why every importance is 0 (too few trials, every value equal), or null. */
  warning: string | null
}

export interface CurveInput {
  trialNumber: number
  points: IntermediateValue[]
}
export interface CurveOutput {
  trialNumber: number
  points: IntermediateValue[]
  /** Points the full curve had before downsampling. */
  total: number
}

export type DownsampleMethod = 'lttb' | 'minmax'

export interface HistoryTrial {
  number: number
  state: TrialState
  value: number | null
}
export interface HistoryPoint {
  number: number
  value: number
}
export interface HistoryOutput {
  /** Complete trials' values (downsampled, every best-so-far improvement kept). */
  complete: HistoryPoint[]
  /** Pruned trials' values (their last intermediate value), downsampled. */
  pruned: HistoryPoint[]
  /** Numbers of failed trials (no value), downsampled. */
  failed: number[]
  /** Best-so-far step line: each improvement, then the last trial number; never pruned or failed trials. */
  bestSoFar: HistoryPoint[]
  /** Trials in the input. */
  total: number
  downsampled: boolean
}

export type AnalysisRequestBody =
  | { type: 'importance'; input: ImportanceInput }
  | {
      type: 'downsampleCurves'
      curves: CurveInput[]
      maxPointsPerCurve: number
      method?: DownsampleMethod
    }
  | { type: 'downsampleHistory'; direction: Direction; trials: HistoryTrial[]; maxPoints: number }
  /** A first look at a data set the user picked, with the trainers' readers (DATASET_INVALID if unusable). */
  | { type: 'checkDataset'; ref: DatasetRef }

export interface AnalysisResultMap {
  importance: ImportanceResult
  downsampleCurves: CurveOutput[]
  downsampleHistory: HistoryOutput
  checkDataset: DatasetSummary
}
