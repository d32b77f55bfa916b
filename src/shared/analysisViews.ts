// What the study view and the trial comparison draw, as main computes it (src/main/views/) and the
// renderer receives it. Columnar and rounded for plotting, so a 10,000-trial study crosses in small payloads.
// Each view is declared once, as its zod schema; the type is inferred from it. The options of the
// StudioApi methods that compute them are here too.
import { z } from 'zod'
import { modelPhaseRecordSchema, RL_TUNERS } from './agentSnapshot.ts'
import {
  historyOutputSchema,
  historyPointSchema,
  importanceResultSchema,
} from './analysisProtocol.ts'
import { configSchema, PARAM_TYPES, paramValueSchema } from './searchSpace.ts'
import { directionSchema } from './study.ts'
import { MAX_SEED } from './studySpec.ts'
import { intermediateValueSchema, trialRecordSchema, trialStateSchema } from './trial.ts'
import { trialFilterSchema } from './trialFilter.ts'

/** Significant digits kept for plotted values (tables and exports carry exact values). */
export const PLOT_DIGITS = 6
/** Most trials compared side by side at once. */
export const COMPARE_TRIALS_MAX = 20
/** Most studies overlaid at once. */
export const OVERLAY_STUDIES_MAX = 12

const int = z.number().int()
const nullableNumbers = z.array(z.number().nullable())
const seed = int.min(0).max(MAX_SEED)
const plotted = { direction: directionSchema, metric: z.string() }

/** The optimization history, downsampled in the analysis worker (every best-so-far improvement kept). */
export const historyViewSchema = historyOutputSchema.extend({
  ...plotted,
  /** Trials per state in the whole study (the lists above may be downsampled). */
  counts: z.object({ complete: int, pruned: int, failed: int }),
})
export type HistoryView = z.infer<typeof historyViewSchema>

export const curveSeriesSchema = z.object({
  trialNumber: int,
  state: trialStateSchema,
  value: z.number().nullable(),
  steps: z.array(z.number()),
  values: z.array(z.number()),
  /** Points before downsampling. */
  points: int,
})
export type CurveSeries = z.infer<typeof curveSeriesSchema>

/** One axis of the parameter plots. Categorical and bool values are plotted as their choice index. */
const paramAxisSchema = z.object({
  name: z.string(),
  type: z.enum(PARAM_TYPES),
  log: z.boolean(),
  low: z.number(),
  high: z.number(),
  /** Labels of the choices (categorical, bool), in index order; null for numbers. */
  choices: z.array(z.string()).nullable(),
  /** True when some trials have no value here (a conditional parameter). */
  conditional: z.boolean(),
})
export type ParamAxis = z.infer<typeof paramAxisSchema>

/**
 * Finished trials with a value, one column per parameter: the data of parallel coordinates and
 * slice plots. Inactive parameters are null. Big studies are subsampled (seeded), the best kept.
 */
export const paramPointsSchema = z.object({
  ...plotted,
  axes: z.array(paramAxisSchema),
  numbers: z.array(int),
  states: z.array(trialStateSchema),
  values: z.array(z.number()),
  /** columns[i][k]: axis i of trial k (choice index for categorical and bool), null when inactive. */
  columns: z.array(nullableNumbers),
  /** With a filter: whether trial k passes it (the others are drawn as context); null without one. */
  inFilter: z.array(z.boolean()).nullable(),
  /** Trials with a value in the study (complete and pruned). */
  total: int,
  sampled: z.boolean(),
})
export type ParamPoints = z.infer<typeof paramPointsSchema>

export const sliceViewSchema = z.object({
  axis: paramAxisSchema,
  ...plotted,
  /** Trials where the parameter is active. */
  xs: z.array(z.number()),
  values: z.array(z.number()),
  numbers: z.array(int),
  states: z.array(trialStateSchema),
  /** Trials left out because the parameter was inactive in them. */
  inactive: int,
})
export type SliceView = z.infer<typeof sliceViewSchema>

export const contourViewSchema = z.object({
  x: paramAxisSchema,
  y: paramAxisSchema,
  ...plotted,
  /** Grid cell centres in real units (log spaced for log axes; choice indices for categoricals). */
  gridX: z.array(z.number()),
  gridY: z.array(z.number()),
  /** z[row for gridY][column for gridX]: the objective interpolated from nearby trials; null far from any. */
  z: z.array(nullableNumbers),
  /** The complete trials where both parameters are active. */
  points: z.object({
    x: z.array(z.number()),
    y: z.array(z.number()),
    values: z.array(z.number()),
    numbers: z.array(int),
  }),
})
export type ContourView = z.infer<typeof contourViewSchema>

export const importanceViewSchema = importanceResultSchema.extend({
  seeds: z.array(int),
  /** Complete trials in the study when it was computed (a cached result is reused until this changes). */
  completeTrials: int,
  cached: z.boolean(),
})
export type ImportanceView = z.infer<typeof importanceViewSchema>

/** A trial's outcome and configuration without its tuner data: a side-by-side column, the base of a trial-table row. */
export const comparedTrialSchema = trialRecordSchema
  .pick({
    number: true,
    state: true,
    value: true,
    startedAt: true,
    finishedAt: true,
    error: true,
    params: true,
  })
  .extend({ durationMs: z.number().nullable() })
export type ComparedTrial = z.infer<typeof comparedTrialSchema>

export const trialComparisonSchema = z.object({
  ...plotted,
  trials: z.array(comparedTrialSchema),
  /** Parameters whose values are not all equal (an inactive parameter, null, differs from any value). */
  differing: z.array(z.object({ name: z.string(), values: z.array(paramValueSchema.nullable()) })),
  /** Parameters every compared trial has with the same value. */
  same: z.array(z.object({ name: z.string(), value: paramValueSchema.nullable() })),
  curves: z.array(curveSeriesSchema),
})
export type TrialComparisonView = z.infer<typeof trialComparisonSchema>

const studyOverlaySeriesSchema = z.object({
  studyId: int,
  name: z.string(),
  tunerKind: z.string(),
  ...plotted,
  complete: z.array(historyPointSchema),
  bestSoFar: z.array(historyPointSchema),
  total: int,
  seed: int,
  budgetTrials: int,
  /** Equal for studies of the same setup (objective, space, tuner, pruner): seeds of one experiment. */
  setup: z.string(),
  /** The known optimum of the objective (synthetic functions, minimized), for regret; else null. */
  optimum: z.number().nullable(),
})

export type StudyOverlaySeries = z.infer<typeof studyOverlaySeriesSchema>

export const studyOverlaySchema = z.object({
  studies: z.array(studyOverlaySeriesSchema),
  /** Set when the studies do not share a direction or a metric (their lines are still drawn). */
  warning: z.string().nullable(),
})
export type StudyOverlay = z.infer<typeof studyOverlaySchema>

/** One hyperparameter's policy over time, in real units (choice index for categorical and bool). */
const agentParamTrackSchema = z.object({
  name: z.string(),
  type: z.enum(PARAM_TYPES),
  log: z.boolean(),
  choices: z.array(z.string()).nullable(),
  /** null where a snapshot lacks the parameter. */
  mean: nullableNumbers,
  low: nullableNumbers,
  high: nullableNumbers,
})
export type AgentParamTrack = z.infer<typeof agentParamTrackSchema>

/** The RL agent's snapshots in trial order (downsampled), for the agent panel. */
export const agentTimelineSchema = z.object({
  tuner: z.enum(RL_TUNERS),
  delta: z.number(),
  trialNumbers: z.array(int),
  realEpisodes: z.array(z.number()),
  modelEpisodes: z.array(z.number()),
  phase: z.array(z.enum(['real', 'model'])),
  kl: nullableNumbers,
  surrogateHoldoutError: nullableNumbers,
  surrogateR2: nullableNumbers,
  params: z.array(agentParamTrackSchema),
  /** Every model phase once, in order: the KL against delta (the model horizon) per phase. */
  modelPhases: z.array(modelPhaseRecordSchema),
  warnings: z.array(z.object({ trialNumber: int, message: z.string() })),
  /** Snapshots recorded in all (before downsampling). */
  total: int,
})
export type AgentTimeline = z.infer<typeof agentTimelineSchema>

const runningTrialViewSchema = z.object({
  number: int,
  params: configSchema,
  startedAt: z.string().nullable(),
  elapsedMs: z.number().nullable(),
  latest: intermediateValueSchema.nullable(),
  /** Intermediate values reported so far. */
  steps: int,
  backend: z.string().nullable(),
  /** Its Slurm job and queue state (a trial still waiting there reads pending); null on this machine. */
  placement: trialRecordSchema.shape.placement,
})
export type RunningTrialView = z.infer<typeof runningTrialViewSchema>

/** The live header of the study view: progress, best so far, running trials, an ETA. */
export const studyLiveSchema = z.object({
  studyId: int,
  ...plotted,
  counts: z.record(trialStateSchema, int),
  budgetTrials: int,
  budgetMinutes: z.number().nullable(),
  runningMs: z.number(),
  concurrency: int,
  best: z
    .object({
      number: int,
      value: z.number(),
      params: configSchema,
      finishedAt: z.string().nullable(),
    })
    .nullable(),
  running: z.array(runningTrialViewSchema),
  /** Mean wall time of the last finished trials (at most 50). */
  meanTrialMs: z.number().nullable(),
  /** Time to the budget's end: remaining trials × mean time ÷ concurrency, capped by budget.minutes. */
  etaMs: z.number().nullable(),
  now: z.string(),
})
export type StudyLive = z.infer<typeof studyLiveSchema>

const trialFileSchema = z.object({
  /** Relative to the trial's folder, '/'-separated. */
  path: z.string(),
  sizeBytes: int,
  modifiedAt: z.string(),
})

/** What the trial wrote in its $HPO_TRIAL_DIR. */
export const trialFilesSchema = z.object({
  dir: z.string(),
  exists: z.boolean(),
  files: z.array(trialFileSchema),
  /** More files than the listing holds. */
  truncated: z.boolean(),
})
export type TrialFiles = z.infer<typeof trialFilesSchema>

export const exportFileSchema = z.object({
  fileName: z.string(),
  mimeType: z.string(),
  text: z.string(),
})
export type ExportFile = z.infer<typeof exportFileSchema>

/** A file of a trial's folder, as text (the start of it past the limit); null text for a binary file. */
export const trialFileContentSchema = z.object({
  path: z.string(),
  sizeBytes: int,
  text: z.string().nullable(),
  truncated: z.boolean(),
})
export type TrialFileContent = z.infer<typeof trialFileContentSchema>

/** A ready-to-paste snippet of a trial's configuration (main/export/snippets.ts writes them). */
const snippetViewSchema = z.object({
  id: z.string(),
  title: z.string(),
  language: z.enum(['python', 'javascript', 'shell', 'json']),
  code: z.string(),
})
export type SnippetView = z.infer<typeof snippetViewSchema>
export const snippetsSchema = z.array(snippetViewSchema)

/** Every plot of the study view follows the trial table's filter. */
const filter = trialFilterSchema.optional()

export const historyOptionsSchema = z.strictObject({
  maxPoints: int.min(10).max(20_000).optional(),
  filter,
})
export type HistoryOptions = z.infer<typeof historyOptionsSchema>

/** Which learning curves: these trials; or all (thinned to maxTrials); or the top K best; running ones too. */
export const curvesOptionsSchema = z.strictObject({
  trials: z.array(int.min(0)).max(1000).optional(),
  top: int.min(0).max(1000).optional(),
  all: z.boolean().optional(),
  maxTrials: int.min(1).max(1000).optional(),
  /** Points per curve (largest-triangle-three-buckets). */
  maxPoints: int.min(2).max(10_000).optional(),
})
export type CurvesQuery = z.infer<typeof curvesOptionsSchema>

/** Options of the parameter plots: a sample of at most maxTrials, the trials a filter passes. */
export const plotOptionsSchema = z.strictObject({
  maxTrials: int.min(10).max(20_000).optional(),
  filter,
})
export type PlotOptions = z.infer<typeof plotOptionsSchema>
export const contourOptionsSchema = plotOptionsSchema.extend({
  grid: int.min(2).max(100).optional(),
})
export type ContourOptions = z.infer<typeof contourOptionsSchema>

export const importanceOptionsSchema = z.strictObject({
  /** One forest per seed; the spread over seeds is the error bar. */
  seeds: z.array(seed).min(1).max(10).optional(),
  timeBudgetMs: int.min(100).max(120_000).optional(),
  /** Studies with more complete trials are subsampled (seeded) to this many. */
  maxTrials: int.min(10).max(20_000).optional(),
  nTrees: int.min(1).max(512).optional(),
  /** Only the trials that pass the study view's filter. */
  filter,
})
export type ImportanceQuery = z.infer<typeof importanceOptionsSchema>

export const exportRequestSchema = z.strictObject({
  format: z.enum(['json', 'yaml', 'csv', 'optuna-enqueue']),
  /** The K best complete trials, best first. */
  top: int.min(1).optional(),
  /** Only these trials (the selection), in number order. */
  trials: z.array(int.min(0)).max(100_000).optional(),
})
export type ExportRequest = z.infer<typeof exportRequestSchema>
