// zod schemas of the analysis views (analysisViews.ts) and of their StudioApi options, used by
// studioApiSchemas.ts for the study view and trial comparison methods.
import { z } from 'zod'
import { TRIAL_STATES, type TrialState } from './trial.ts'

const trialState = z.enum(TRIAL_STATES as [TrialState, ...TrialState[]])
const direction = z.enum(['minimize', 'maximize'])
const paramValue = z.union([z.string(), z.number(), z.boolean()])
const config = z.record(z.string(), paramValue)
const paramType = z.enum(['float', 'int', 'categorical', 'bool'])
const point = z.object({ number: z.number().int(), value: z.number() })
const nullableNumbers = z.array(z.number().nullable())
const seed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1)

/** Most trials compared side by side at once. */
export const COMPARE_TRIALS_MAX = 20
/** Most studies overlaid at once. */
export const OVERLAY_STUDIES_MAX = 12

export const historyOptionsSchema = z.strictObject({
  maxPoints: z.number().int().min(10).max(20_000).optional(),
})
export const curvesOptionsSchema = z.strictObject({
  trials: z.array(z.number().int().min(0)).max(1000).optional(),
  top: z.number().int().min(0).max(1000).optional(),
  all: z.boolean().optional(),
  maxTrials: z.number().int().min(1).max(1000).optional(),
  maxPoints: z.number().int().min(2).max(10_000).optional(),
})
export const plotOptionsSchema = z.strictObject({
  maxTrials: z.number().int().min(10).max(20_000).optional(),
})
export const contourOptionsSchema = z.strictObject({
  grid: z.number().int().min(2).max(100).optional(),
  maxTrials: z.number().int().min(10).max(20_000).optional(),
})
export const importanceOptionsSchema = z.strictObject({
  seeds: z.array(seed).min(1).max(10).optional(),
  timeBudgetMs: z.number().int().min(100).max(120_000).optional(),
  maxTrials: z.number().int().min(10).max(20_000).optional(),
  nTrees: z.number().int().min(1).max(512).optional(),
})
export const exportRequestSchema = z.strictObject({
  format: z.enum(['json', 'yaml', 'csv', 'optuna-enqueue']),
  top: z.number().int().min(1).optional(),
  trials: z.array(z.number().int().min(0)).max(100_000).optional(),
})

export const historyViewSchema = z.object({
  direction,
  metric: z.string(),
  complete: z.array(point),
  pruned: z.array(point),
  failed: z.array(z.number().int()),
  bestSoFar: z.array(point),
  total: z.number().int(),
  downsampled: z.boolean(),
})

export const curveSeriesSchema = z.object({
  trialNumber: z.number().int(),
  state: trialState,
  value: z.number().nullable(),
  steps: z.array(z.number()),
  values: z.array(z.number()),
  points: z.number().int(),
})

const paramAxis = z.object({
  name: z.string(),
  type: paramType,
  log: z.boolean(),
  low: z.number(),
  high: z.number(),
  choices: z.array(z.string()).nullable(),
  conditional: z.boolean(),
})

export const paramPointsSchema = z.object({
  direction,
  metric: z.string(),
  axes: z.array(paramAxis),
  numbers: z.array(z.number().int()),
  states: z.array(trialState),
  values: z.array(z.number()),
  columns: z.array(nullableNumbers),
  total: z.number().int(),
  sampled: z.boolean(),
})

export const sliceViewSchema = z.object({
  axis: paramAxis,
  direction,
  metric: z.string(),
  xs: z.array(z.number()),
  values: z.array(z.number()),
  numbers: z.array(z.number().int()),
  states: z.array(trialState),
  inactive: z.number().int(),
})

export const contourViewSchema = z.object({
  x: paramAxis,
  y: paramAxis,
  direction,
  metric: z.string(),
  gridX: z.array(z.number()),
  gridY: z.array(z.number()),
  z: z.array(nullableNumbers),
  points: z.object({
    x: z.array(z.number()),
    y: z.array(z.number()),
    values: z.array(z.number()),
    numbers: z.array(z.number().int()),
  }),
})

export const importanceViewSchema = z.object({
  params: z.array(
    z.object({
      name: z.string(),
      mean: z.number(),
      std: z.number(),
      perSeed: z.array(z.number()),
    }),
  ),
  trialsUsed: z.number().int(),
  subsampled: z.boolean(),
  elapsedMs: z.number(),
  treesPerSeed: z.array(z.number().int()),
  warning: z.string().nullable(),
  seeds: z.array(z.number().int()),
  completeTrials: z.number().int(),
  cached: z.boolean(),
})

export const trialComparisonSchema = z.object({
  direction,
  metric: z.string(),
  trials: z.array(
    z.object({
      number: z.number().int(),
      state: trialState,
      value: z.number().nullable(),
      durationMs: z.number().nullable(),
      startedAt: z.string().nullable(),
      finishedAt: z.string().nullable(),
      error: z.string().nullable(),
      params: config,
    }),
  ),
  differing: z.array(z.object({ name: z.string(), values: z.array(paramValue.nullable()) })),
  same: z.array(z.object({ name: z.string(), value: paramValue.nullable() })),
  curves: z.array(curveSeriesSchema),
})

export const studyOverlaySchema = z.object({
  studies: z.array(
    z.object({
      studyId: z.number().int(),
      name: z.string(),
      tunerKind: z.string(),
      direction,
      metric: z.string(),
      complete: z.array(point),
      bestSoFar: z.array(point),
      total: z.number().int(),
    }),
  ),
  warning: z.string().nullable(),
})

const modelPhase = z.object({
  atRealEpisode: z.number(),
  episodes: z.number(),
  kl: z.number(),
  skipped: z.boolean(),
  reason: z.string().optional(),
  surrogateR2: z.number().nullable(),
  ensembleSpread: z.number().nullable().optional(),
})

export const agentTimelineSchema = z
  .object({
    tuner: z.enum(['mbrl', 'rl', 'rl-onestep']),
    delta: z.number(),
    trialNumbers: z.array(z.number().int()),
    realEpisodes: z.array(z.number()),
    modelEpisodes: z.array(z.number()),
    phase: z.array(z.enum(['real', 'model'])),
    kl: nullableNumbers,
    surrogateHoldoutError: nullableNumbers,
    surrogateR2: nullableNumbers,
    params: z.array(
      z.object({
        name: z.string(),
        type: paramType,
        log: z.boolean(),
        choices: z.array(z.string()).nullable(),
        mean: nullableNumbers,
        low: nullableNumbers,
        high: nullableNumbers,
      }),
    ),
    modelPhases: z.array(modelPhase),
    warnings: z.array(z.object({ trialNumber: z.number().int(), message: z.string() })),
    total: z.number().int(),
  })
  .nullable()

export const studyLiveSchema = z.object({
  studyId: z.number().int(),
  direction,
  metric: z.string(),
  counts: z.record(trialState, z.number().int()),
  budgetTrials: z.number().int(),
  budgetMinutes: z.number().nullable(),
  runningMs: z.number(),
  concurrency: z.number().int(),
  best: z
    .object({
      number: z.number().int(),
      value: z.number(),
      params: config,
      finishedAt: z.string().nullable(),
    })
    .nullable(),
  running: z.array(
    z.object({
      number: z.number().int(),
      params: config,
      startedAt: z.string().nullable(),
      elapsedMs: z.number().nullable(),
      latest: z.object({ step: z.number(), value: z.number() }).nullable(),
      steps: z.number().int(),
      backend: z.string().nullable(),
    }),
  ),
  meanTrialMs: z.number().nullable(),
  etaMs: z.number().nullable(),
  now: z.string(),
})

export const trialFilesSchema = z.object({
  dir: z.string(),
  exists: z.boolean(),
  files: z.array(
    z.object({ path: z.string(), sizeBytes: z.number().int(), modifiedAt: z.string() }),
  ),
  truncated: z.boolean(),
})

export const trialFileContentSchema = z.object({
  path: z.string(),
  sizeBytes: z.number().int(),
  text: z.string().nullable(),
  truncated: z.boolean(),
})

export const exportFileSchema = z.object({
  fileName: z.string(),
  mimeType: z.string(),
  text: z.string(),
})

export const snippetsSchema = z.array(
  z.object({
    id: z.string(),
    title: z.string(),
    language: z.enum(['python', 'javascript', 'shell', 'json']),
    code: z.string(),
  }),
)
