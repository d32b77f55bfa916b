// zod schemas for every StudioApi argument and result. Both transports parse arguments with these
// before a handler runs; tests parse results with them, so the wire shape cannot drift from the types.
import { z } from 'zod'
import {
  COMPARE_TRIALS_MAX,
  OVERLAY_STUDIES_MAX,
  agentTimelineSchema,
  contourOptionsSchema,
  contourViewSchema,
  curveSeriesSchema,
  curvesOptionsSchema,
  exportFileSchema,
  exportRequestSchema,
  historyOptionsSchema,
  historyViewSchema,
  importanceOptionsSchema,
  importanceViewSchema,
  paramPointsSchema,
  plotOptionsSchema,
  sliceViewSchema,
  snippetsSchema,
  studyLiveSchema,
  studyOverlaySchema,
  trialComparisonSchema,
  trialFileContentSchema,
  trialFilesSchema,
} from './analysisViewSchemas.ts'
import { objectiveSpecSchema } from './objectiveSpec.ts'
import { prunerSpecSchema } from './prunerSpec.ts'
import { STUDY_STATES, type StudyState } from './study.ts'
import { STUDY_NAME_PATTERN } from './studySpec.ts'
import {
  STUDIO_METHODS,
  TFJS_BACKEND_PREFERENCES,
  TRIAL_PAGE_MAX,
  type StudioArgs,
  type StudioMethod,
} from './studioApi.ts'
import { TRIAL_STATES, type TrialState } from './trial.ts'
import { trialPlacementSchema } from './trialPlacement.ts'
import { tunerSpecSchema } from './tunerSpec.ts'

/** Largest study file accepted as text, and largest upload (base64 text) the schema lets through. */
export const STUDY_TEXT_MAX = 2_000_000
export const UPLOAD_BASE64_MAX = 96 * 1024 * 1024

const id = z.number().int().min(0)
const trialNumber = z.number().int().min(0)
const studyName = z
  .string()
  .regex(STUDY_NAME_PATTERN, 'names use letters, digits, _ . - (up to 100)')
const tag = z.string().min(1).max(60)
const isoTime = z.string()
const nullableTime = isoTime.nullable()
const paramValue = z.union([z.string(), z.number(), z.boolean()])
const config = z.record(z.string(), paramValue)
const trialState = z.enum(TRIAL_STATES as [TrialState, ...TrialState[]])
const studyState = z.enum(STUDY_STATES as [StudyState, ...StudyState[]])
const direction = z.enum(['minimize', 'maximize'])
const json: z.ZodType<unknown> = z.unknown()
const specErrorSchema = z.object({
  path: z.string(),
  rule: z.string(),
  value: z.unknown(),
  message: z.string(),
})
const parsed = <T extends z.ZodType>(value: T) =>
  z.union([
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), errors: z.array(specErrorSchema) }),
  ])

const condition = z.record(z.string(), z.array(paramValue))
const paramSpec = z.discriminatedUnion('type', [
  z.object({
    name: z.string(),
    type: z.literal('float'),
    low: z.number(),
    high: z.number(),
    log: z.boolean(),
    step: z.number().optional(),
    when: condition.optional(),
  }),
  z.object({
    name: z.string(),
    type: z.literal('int'),
    low: z.number(),
    high: z.number(),
    log: z.boolean(),
    step: z.number(),
    when: condition.optional(),
  }),
  z.object({
    name: z.string(),
    type: z.literal('categorical'),
    choices: z.array(paramValue),
    when: condition.optional(),
  }),
  z.object({ name: z.string(), type: z.literal('bool'), when: condition.optional() }),
])

export const studySpecSchema = z.object({
  name: z.string(),
  direction,
  metric: z.string(),
  objective: objectiveSpecSchema,
  space: z.object({ params: z.array(paramSpec) }),
  tuner: tunerSpecSchema,
  pruner: prunerSpecSchema,
  budget: z.object({ trials: z.number().int(), minutes: z.number().optional() }),
  trialTimeoutSeconds: z.number().optional(),
  concurrency: z.number().int(),
  seed: z.number().int().optional(),
  notes: z.string(),
  tags: z.array(z.string()),
})

export const studySummarySchema = z.object({
  id,
  name: z.string(),
  state: studyState,
  direction,
  metric: z.string(),
  objectiveKind: z.string(),
  tunerKind: z.string(),
  trialsDone: z.number().int(),
  trialsRunning: z.number().int(),
  budgetTrials: z.number().int(),
  bestValue: z.number().nullable(),
  bestTrialNumber: z.number().int().nullable(),
  bestChangedAt: nullableTime,
  notes: z.string(),
  tags: z.array(z.string()),
  createdAt: isoTime,
  updatedAt: isoTime,
})

const intermediate = z.object({ step: z.number(), value: z.number() })

const agentSnapshot = z
  .object({
    tuner: z.enum(['mbrl', 'rl', 'rl-onestep']),
    phase: z.enum(['real', 'model']),
    realEpisodes: z.number(),
    modelEpisodes: z.number(),
    params: z.array(
      z.object({
        name: z.string(),
        mean: z.number(),
        spread: z.number(),
        meanValue: paramValue,
        lowValue: paramValue,
        highValue: paramValue,
      }),
    ),
    delta: z.number(),
    kl: z.number().nullable(),
    lastModelPhase: z.unknown(),
    surrogateHoldoutError: z.number().nullable(),
    surrogateR2: z.number().nullable(),
    warning: z.string().optional(),
  })
  .nullable()

const trialRecord = z.object({
  id,
  studyId: id,
  number: trialNumber,
  state: trialState,
  params: config,
  value: z.number().nullable(),
  startedAt: nullableTime,
  finishedAt: nullableTime,
  error: z.string().nullable(),
  backend: z.string().nullable(),
  userAttrs: z.record(z.string(), json),
  tunerData: json,
  agentSnapshot,
  testScore: z.number().nullable(),
  placement: trialPlacementSchema.nullable(),
})

const trialRow = z.object({
  number: trialNumber,
  state: trialState,
  params: config,
  value: z.number().nullable(),
  startedAt: nullableTime,
  finishedAt: nullableTime,
  durationMs: z.number().nullable(),
  error: z.string().nullable(),
  backend: z.string().nullable(),
  latest: intermediate.nullable(),
  placement: trialPlacementSchema.nullable(),
})

const trialQuery = z.strictObject({
  states: z.array(trialState).optional(),
  paramRanges: z
    .record(z.string(), z.strictObject({ min: z.number().optional(), max: z.number().optional() }))
    .optional(),
  valueMin: z.number().optional(),
  valueMax: z.number().optional(),
  sort: z
    .strictObject({
      by: z.union([
        z.enum(['number', 'value', 'duration', 'state']),
        z.templateLiteral(['param:', z.string()]),
      ]),
      desc: z.boolean().optional(),
    })
    .optional(),
  offset: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(TRIAL_PAGE_MAX).optional(),
})

const studyInput = z.union([
  z.strictObject({ text: z.string().max(STUDY_TEXT_MAX) }),
  z.strictObject({ raw: z.record(z.string(), z.unknown()) }),
])

export const settingsSchema = z.strictObject({
  xgboostLibraryPath: z.string().min(1).nullable(),
  defaultConcurrency: z.number().int().min(1).max(64),
  dataFolders: z.array(z.string().min(1)).max(50),
  tfjsBackend: z.enum(TFJS_BACKEND_PREFERENCES),
})

const datasetRef = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('tabular'),
    path: z.string().min(1),
    target: z.string().min(1).optional(),
  }),
  z.strictObject({
    kind: z.literal('images'),
    images: z.string().min(1),
    labels: z.string().min(1),
  }),
])

const datasetSummary = z.object({
  kind: z.enum(['tabular', 'images']),
  path: z.string(),
  sizeBytes: z.number(),
  rows: z.number().int(),
  features: z.number().int(),
  columnNames: z.array(z.string()),
  target: z.string().nullable(),
  classes: z.array(z.object({ label: z.string(), count: z.number().int() })),
  missingCells: z.number().int(),
  imageShape: z.array(z.number().int()).nullable(),
  warnings: z.array(z.string()),
})

const summaryOnly = studySummarySchema
const nothing = z.null()

const def = <M extends StudioMethod>(
  args: z.ZodType<StudioArgs<M>, unknown>,
  result: z.ZodType,
): { args: z.ZodType<StudioArgs<M>, unknown>; result: z.ZodType } => ({ args, result })

/** Per method: `args` (the argument tuple) and `result` (what the handler resolves with). */
export const studioApiSchemas: {
  [M in StudioMethod]: { args: z.ZodType<StudioArgs<M>, unknown>; result: z.ZodType }
} = {
  getAppInfo: def<'getAppInfo'>(
    z.tuple([]),
    z.object({
      version: z.string(),
      transport: z.enum(['electron', 'http']),
      databasePath: z.string(),
      datasetDir: z.string(),
      uploadLimitBytes: z.number(),
      nativeFileDialog: z.boolean(),
    }),
  ),
  listStudies: def<'listStudies'>(z.tuple([]), z.array(studySummarySchema)),
  getStudy: def<'getStudy'>(
    z.tuple([id]),
    z.object({
      summary: studySummarySchema,
      spec: studySpecSchema,
      seed: z.number().int(),
      runningMs: z.number(),
      error: z.string().nullable(),
      lease: z
        .object({
          pid: z.number(),
          host: z.string(),
          heartbeatAt: isoTime,
          stale: z.boolean(),
          here: z.boolean(),
        })
        .nullable(),
      datasets: z.array(
        z.object({
          name: z.string(),
          path: z.string(),
          role: z.string(),
          hash: z.string(),
          changed: z.boolean(),
        }),
      ),
    }),
  ),
  validateStudy: def<'validateStudy'>(z.tuple([studyInput]), parsed(studySpecSchema)),
  createStudy: def<'createStudy'>(z.tuple([studyInput]), summaryOnly),
  duplicateStudy: def<'duplicateStudy'>(z.tuple([id, studyName.optional()]), summaryOnly),
  renameStudy: def<'renameStudy'>(z.tuple([id, studyName]), summaryOnly),
  setStudyNotes: def<'setStudyNotes'>(z.tuple([id, z.string().max(100_000)]), summaryOnly),
  setStudyTags: def<'setStudyTags'>(z.tuple([id, z.array(tag).max(50)]), summaryOnly),
  deleteStudy: def<'deleteStudy'>(z.tuple([id]), nothing),
  startStudy: def<'startStudy'>(
    z.tuple([id, z.strictObject({ trials: z.number().int().min(1).optional() }).optional()]),
    summaryOnly,
  ),
  pauseStudy: def<'pauseStudy'>(z.tuple([id]), summaryOnly),
  resumeStudy: def<'resumeStudy'>(z.tuple([id]), summaryOnly),
  stopStudy: def<'stopStudy'>(z.tuple([id]), summaryOnly),
  cancelTrial: def<'cancelTrial'>(z.tuple([id, trialNumber]), nothing),
  listTrials: def<'listTrials'>(
    z.tuple([id, trialQuery.optional()]),
    z.object({ total: z.number().int(), offset: z.number().int(), trials: z.array(trialRow) }),
  ),
  getTrial: def<'getTrial'>(
    z.tuple([id, trialNumber]),
    z.object({
      trial: trialRecord,
      intermediate: z.array(intermediate),
      durationMs: z.number().nullable(),
    }),
  ),
  getTrialLog: def<'getTrialLog'>(
    z.tuple([id, trialNumber]),
    z.object({ stdout: z.string(), stderr: z.string(), truncated: z.boolean() }),
  ),
  getSettings: def<'getSettings'>(z.tuple([]), settingsSchema),
  setSettings: def<'setSettings'>(z.tuple([settingsSchema.partial()]), settingsSchema),
  listTemplates: def<'listTemplates'>(
    z.tuple([]),
    z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        description: z.string(),
        objectiveKind: z.enum(['synthetic', 'command', 'gbdt', 'cnn']),
        raw: z.record(z.string(), z.unknown()),
      }),
    ),
  ),
  checkDataset: def<'checkDataset'>(z.tuple([datasetRef]), datasetSummary),
  uploadDataset: def<'uploadDataset'>(
    z.tuple([
      z.strictObject({
        fileName: z.string().min(1).max(200),
        contentBase64: z.string().max(UPLOAD_BASE64_MAX),
      }),
    ]),
    z.object({ path: z.string(), summary: datasetSummary.nullable() }),
  ),
  pickDatasetFile: def<'pickDatasetFile'>(
    z.tuple([
      z.strictObject({
        title: z.string().max(200),
        extensions: z.array(z.string().regex(/^[A-Za-z0-9*-]{1,20}$/)).max(20),
      }),
    ]),
    z.string().nullable(),
  ),
  previewSamples: def<'previewSamples'>(
    z.tuple([
      z.unknown(),
      z.number().int().min(1).max(1000).optional(),
      z
        .number()
        .int()
        .min(0)
        .max(2 ** 31 - 1)
        .optional(),
    ]),
    parsed(z.array(config)),
  ),
  getStudyLive: def<'getStudyLive'>(z.tuple([id]), studyLiveSchema),
  getHistoryView: def<'getHistoryView'>(
    z.tuple([id, historyOptionsSchema.optional()]),
    historyViewSchema,
  ),
  getLearningCurves: def<'getLearningCurves'>(
    z.tuple([id, curvesOptionsSchema.optional()]),
    z.array(curveSeriesSchema),
  ),
  getParamPoints: def<'getParamPoints'>(
    z.tuple([id, plotOptionsSchema.optional()]),
    paramPointsSchema,
  ),
  getSlice: def<'getSlice'>(
    z.tuple([id, z.string().min(1).max(200), plotOptionsSchema.optional()]),
    sliceViewSchema,
  ),
  getContour: def<'getContour'>(
    z.tuple([
      id,
      z.string().min(1).max(200),
      z.string().min(1).max(200),
      contourOptionsSchema.optional(),
    ]),
    contourViewSchema,
  ),
  getImportance: def<'getImportance'>(
    z.tuple([id, importanceOptionsSchema.optional()]),
    importanceViewSchema,
  ),
  compareTrials: def<'compareTrials'>(
    z.tuple([id, z.array(trialNumber).min(1).max(COMPARE_TRIALS_MAX)]),
    trialComparisonSchema,
  ),
  getStudiesOverlay: def<'getStudiesOverlay'>(
    z.tuple([z.array(id).min(1).max(OVERLAY_STUDIES_MAX)]),
    studyOverlaySchema,
  ),
  getAgentTimeline: def<'getAgentTimeline'>(z.tuple([id]), agentTimelineSchema),
  listTrialFiles: def<'listTrialFiles'>(z.tuple([id, trialNumber]), trialFilesSchema),
  readTrialFile: def<'readTrialFile'>(
    z.tuple([id, trialNumber, z.string().min(1).max(1000)]),
    trialFileContentSchema,
  ),
  exportStudy: def<'exportStudy'>(z.tuple([id, exportRequestSchema]), exportFileSchema),
  getSnippets: def<'getSnippets'>(z.tuple([id, trialNumber]), snippetsSchema),
}

/** True when `name` is one of the routed methods (never a prototype key like "constructor"). */
export function isStudioMethod(name: string): name is StudioMethod {
  return (STUDIO_METHODS as readonly string[]).includes(name)
}
