// What the study view and the trial comparison draw, as main computes it (src/main/views/) and the
// renderer receives it. Columnar and rounded for plotting, so a 10,000-trial study crosses in small payloads.
import type { ModelPhaseRecord } from './agentSnapshot.ts'
import type { HistoryPoint, ImportanceResult } from './analysisProtocol.ts'
import type { Config, ParamType, ParamValue } from './searchSpace.ts'
import type { Direction } from './study.ts'
import type { CurveSeries } from './studioApi.ts'
import type { IntermediateValue, TrialState } from './trial.ts'

/** Significant digits kept for plotted values (tables and exports carry exact values). */
export const PLOT_DIGITS = 6

/** The optimization history, downsampled in the analysis worker (every best-so-far improvement kept). */
export interface HistoryView {
  direction: Direction
  metric: string
  complete: HistoryPoint[]
  /** A pruned trial's value is its last intermediate value (lower fidelity): drawn apart, never best. */
  pruned: HistoryPoint[]
  failed: number[]
  bestSoFar: HistoryPoint[]
  total: number
  downsampled: boolean
}

/** One axis of the parameter plots. Categorical and bool values are plotted as their choice index. */
export interface ParamAxis {
  name: string
  type: ParamType
  log: boolean
  low: number
  high: number
  /** Labels of the choices (categorical, bool), in index order; null for numbers. */
  choices: string[] | null
  /** True when some trials have no value here (a conditional parameter). */
  conditional: boolean
}

/**
 * Finished trials with a value, one column per parameter: the data of parallel coordinates and
 * slice plots. Inactive parameters are null. Big studies are subsampled (seeded), the best kept.
 */
export interface ParamPoints {
  direction: Direction
  metric: string
  axes: ParamAxis[]
  numbers: number[]
  states: TrialState[]
  values: number[]
  /** columns[i][k]: axis i of trial k (choice index for categorical and bool), null when inactive. */
  columns: (number | null)[][]
  /** Trials with a value in the study (complete and pruned). */
  total: number
  sampled: boolean
}

export interface SliceView {
  axis: ParamAxis
  direction: Direction
  metric: string
  /** Trials where the parameter is active. */
  xs: number[]
  values: number[]
  numbers: number[]
  states: TrialState[]
  /** Trials left out because the parameter was inactive in them. */
  inactive: number
}

export interface ContourView {
  x: ParamAxis
  y: ParamAxis
  direction: Direction
  metric: string
  /** Grid cell centres in real units (log spaced for log axes; choice indices for categoricals). */
  gridX: number[]
  gridY: number[]
  /** z[row for gridY][column for gridX]: the objective interpolated from nearby trials; null far from any. */
  z: (number | null)[][]
  /** The complete trials where both parameters are active. */
  points: { x: number[]; y: number[]; values: number[]; numbers: number[] }
}

export interface ImportanceView extends ImportanceResult {
  seeds: number[]
  /** Complete trials in the study when it was computed (a cached result is reused until this changes). */
  completeTrials: number
  cached: boolean
}

export interface ComparedTrial {
  number: number
  state: TrialState
  value: number | null
  durationMs: number | null
  startedAt: string | null
  finishedAt: string | null
  error: string | null
  params: Config
}

export interface TrialComparisonView {
  direction: Direction
  metric: string
  trials: ComparedTrial[]
  /** Parameters whose values are not all equal (an inactive parameter, null, differs from any value). */
  differing: { name: string; values: (ParamValue | null)[] }[]
  /** Parameters every compared trial has with the same value. */
  same: { name: string; value: ParamValue | null }[]
  curves: CurveSeries[]
}

export interface StudyOverlaySeries {
  studyId: number
  name: string
  tunerKind: string
  direction: Direction
  metric: string
  complete: HistoryPoint[]
  bestSoFar: HistoryPoint[]
  total: number
}

export interface StudyOverlay {
  studies: StudyOverlaySeries[]
  /** Set when the studies do not share a direction or a metric (their lines are still drawn). */
  warning: string | null
}

/** One hyperparameter's policy over time, in real units (choice index for categorical and bool). */
export interface AgentParamTrack {
  name: string
  type: ParamType
  log: boolean
  choices: string[] | null
  /** null where a snapshot lacks the parameter. */
  mean: (number | null)[]
  low: (number | null)[]
  high: (number | null)[]
}

/** The RL agent's snapshots in trial order (downsampled), for the agent panel. */
export interface AgentTimeline {
  tuner: 'mbrl' | 'rl' | 'rl-onestep'
  delta: number
  trialNumbers: number[]
  realEpisodes: number[]
  modelEpisodes: number[]
  phase: ('real' | 'model')[]
  kl: (number | null)[]
  surrogateHoldoutError: (number | null)[]
  surrogateR2: (number | null)[]
  params: AgentParamTrack[]
  /** Every model phase once, in order: the KL against delta (the model horizon) per phase. */
  modelPhases: ModelPhaseRecord[]
  warnings: { trialNumber: number; message: string }[]
  /** Snapshots recorded in all (before downsampling). */
  total: number
}

export interface RunningTrialView {
  number: number
  params: Config
  startedAt: string | null
  elapsedMs: number | null
  latest: IntermediateValue | null
  /** Intermediate values reported so far. */
  steps: number
  backend: string | null
}

/** The live header of the study view: progress, best so far, running trials, an ETA. */
export interface StudyLive {
  studyId: number
  direction: Direction
  metric: string
  counts: Record<TrialState, number>
  budgetTrials: number
  budgetMinutes: number | null
  runningMs: number
  concurrency: number
  best: { number: number; value: number; params: Config; finishedAt: string | null } | null
  running: RunningTrialView[]
  /** Mean wall time of the last finished trials (at most 50). */
  meanTrialMs: number | null
  /** Time to the budget's end: remaining trials × mean time ÷ concurrency, capped by budget.minutes. */
  etaMs: number | null
  now: string
}

export interface TrialFile {
  /** Relative to the trial's folder, '/'-separated. */
  path: string
  sizeBytes: number
  modifiedAt: string
}

/** What the trial wrote in its $HPO_TRIAL_DIR. */
export interface TrialFiles {
  dir: string
  exists: boolean
  files: TrialFile[]
  /** More files than the listing holds. */
  truncated: boolean
}

export interface ExportFile {
  fileName: string
  mimeType: string
  text: string
}

/** A file of a trial's folder, as text (the start of it past the limit); null text for a binary file. */
export interface TrialFileContent {
  path: string
  sizeBytes: number
  text: string | null
  truncated: boolean
}

/** A ready-to-paste snippet of a trial's configuration (main/export/snippets.ts writes them). */
export interface SnippetView {
  id: string
  title: string
  language: 'python' | 'javascript' | 'shell' | 'json'
  code: string
}

/** Which learning curves: these trials; or all (thinned to maxTrials); or the top K best; running ones too. */
export interface CurvesQuery {
  trials?: number[]
  top?: number
  all?: boolean
  maxTrials?: number
  /** Points per curve (largest-triangle-three-buckets). */
  maxPoints?: number
}

export interface ImportanceQuery {
  /** One forest per seed; the spread over seeds is the error bar. */
  seeds?: number[]
  timeBudgetMs?: number
  /** Studies with more complete trials are subsampled (seeded) to this many. */
  maxTrials?: number
  nTrees?: number
}

export interface ExportRequest {
  format: 'json' | 'yaml' | 'csv'
  /** The K best complete trials, best first. */
  top?: number
  /** Only these trials (the selection), in number order. */
  trials?: number[]
}
