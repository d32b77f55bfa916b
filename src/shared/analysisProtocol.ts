// The analysis worker's part of the one worker protocol (workerProtocol.ts): importance, downsampled curves
// and history for big studies, and the data-set check of the UI (with the trainers' own readers).
import { z } from 'zod'
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

const paramImportanceSchema = z.object({
  name: z.string(),
  /** Mean over seeds of the normalized individual fANOVA importance (the params sum to 1). */
  mean: z.number(),
  /** Population standard deviation over seeds. */
  std: z.number(),
  /** One normalized importance per seed, in the order of `seeds`. */
  perSeed: z.array(z.number()),
})
export type ParamImportance = z.infer<typeof paramImportanceSchema>

export const importanceResultSchema = z.object({
  /** Most important first (space order between equals). */
  params: z.array(paramImportanceSchema),
  trialsUsed: z.number().int(),
  subsampled: z.boolean(),
  elapsedMs: z.number(),
  /** Trees actually grown per seed (fewer than asked when the time budget ran out). */
  treesPerSeed: z.array(z.number().int()),
  /** Why every importance is 0 (too few trials, every value equal), or null. */
  warning: z.string().nullable(),
})
export type ImportanceResult = z.infer<typeof importanceResultSchema>

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
export const historyPointSchema = z.object({ number: z.number().int(), value: z.number() })
export type HistoryPoint = z.infer<typeof historyPointSchema>
export const historyOutputSchema = z.object({
  /** Complete trials' values (downsampled, every best-so-far improvement kept). */
  complete: z.array(historyPointSchema),
  /** Pruned trials' values (their last intermediate value), downsampled. */
  pruned: z.array(historyPointSchema),
  /** Numbers of failed trials (no value), downsampled. */
  failed: z.array(z.number().int()),
  /** Best-so-far step line: each improvement, then the last trial number; never pruned or failed trials. */
  bestSoFar: z.array(historyPointSchema),
  /** Trials in the input. */
  total: z.number().int(),
  downsampled: z.boolean(),
})
export type HistoryOutput = z.infer<typeof historyOutputSchema>

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
