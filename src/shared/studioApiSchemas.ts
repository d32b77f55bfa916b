// The StudioApi's data: every argument and result as a zod schema, the one declaration of its type
// (studioApi.ts re-exports the types for the renderer and main). Both transports parse arguments with these
// before a handler runs; tests parse results with them. The method table is typed against StudioApi, so tsc
// fails when a method's declared result and its schema disagree.
import { z } from 'zod'
import {
  COMPARE_TRIALS_MAX,
  comparedTrialSchema,
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
} from './analysisViews.ts'
import { OBJECTIVE_KINDS } from './objectiveSpec.ts'
import {
  optunaImportedSchema,
  optunaImportRequestSchema,
  optunaPreviewSchema,
  optunaSourceSchema,
} from './optunaImportApi.ts'
import { configSchema } from './searchSpace.ts'
import { studySummarySchema } from './study.ts'
import { MAX_SEED, STUDY_NAME_PATTERN, STUDY_NAME_RULE, studySpecSchema } from './studySpec.ts'
import {
  STUDIO_METHODS,
  TFJS_BACKEND_PREFERENCES,
  TRIAL_PAGE_MAX,
  type StudioArgs,
  type StudioMethod,
  type StudioResult,
} from './studioApi.ts'
import { intermediateValueSchema, trialRecordSchema } from './trial.ts'
import { trialFileDownloadSchema } from './trialFileDownload.ts'
import { DATASET_KINDS } from './workerProtocol.ts'
import { trialPlotsViewSchema } from './trialPlotsView.ts'
import { trialFilterSchema } from './trialFilter.ts'

/** Largest study file accepted as text, and largest upload (base64 text) the schema lets through. */
export const STUDY_TEXT_MAX = 2_000_000
export const UPLOAD_BASE64_MAX = 96 * 1024 * 1024

const id = z.number().int().min(0)
const trialNumber = z.number().int().min(0)
const studyName = z.string().regex(STUDY_NAME_PATTERN, STUDY_NAME_RULE).describe('study name')
const tag = z.string().min(1).max(60)
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

/** A study file as text (YAML or JSON, detected) or already decoded into its study-file form. */
const studyInputSchema = z.union([
  z.strictObject({ text: z.string().max(STUDY_TEXT_MAX) }),
  z.strictObject({ raw: z.record(z.string(), z.unknown()) }),
])
export type StudyInput = z.infer<typeof studyInputSchema>

const leaseViewSchema = z.object({
  pid: z.number(),
  host: z.string(),
  heartbeatAt: z.string(),
  /** A stale lease belongs to a process that is gone; the study can be resumed here. */
  stale: z.boolean(),
  /** True when this process (the app or `serve`) holds it. */
  here: z.boolean(),
})
export type LeaseView = z.infer<typeof leaseViewSchema>

const studyDetailSchema = z.object({
  summary: studySummarySchema,
  spec: studySpecSchema,
  /** The seed actually used (drawn and recorded when the file gave none). */
  seed: z.number().int(),
  runningMs: z.number(),
  error: z.string().nullable(),
  lease: leaseViewSchema.nullable(),
  datasets: z.array(
    z.object({
      name: z.string(),
      path: z.string(),
      role: z.string(),
      hash: z.string(),
      changed: z.boolean(),
    }),
  ),
})
export type StudyDetail = z.infer<typeof studyDetailSchema>

/** Filter, sort and page of a trial list; run in SQL, so a 10,000-trial study sends one page. */
const trialQuerySchema = trialFilterSchema.extend({
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
export type TrialQuery = z.infer<typeof trialQuerySchema>

/** One line of the trial table: no tuner data, no agent snapshot, no logs. */
const trialRowSchema = comparedTrialSchema.extend({
  backend: trialRecordSchema.shape.backend,
  /** The latest intermediate value of a running trial (null for the others, to keep pages small). */
  latest: intermediateValueSchema.nullable(),
  /** Its Slurm job and queue state, when a cluster runs the study's trials. */
  placement: trialRecordSchema.shape.placement,
})
export type TrialRow = z.infer<typeof trialRowSchema>

const trialPageSchema = z.object({
  total: z.number().int(),
  offset: z.number().int(),
  trials: z.array(trialRowSchema),
})
export type TrialPage = z.infer<typeof trialPageSchema>

const trialDetailSchema = z.object({
  trial: trialRecordSchema,
  intermediate: z.array(intermediateValueSchema),
  durationMs: z.number().nullable(),
  /** The trials before and after it by number (null at either end): the trial page's previous / next. */
  previous: z.number().int().min(0).nullable(),
  next: z.number().int().min(0).nullable(),
})
export type TrialDetail = z.infer<typeof trialDetailSchema>

const trialLogSchema = z.object({ stdout: z.string(), stderr: z.string(), truncated: z.boolean() })
export type TrialLog = z.infer<typeof trialLogSchema>

/** Settings stored in the database; the same keys as `hpo-studio config get|set KEY`. */
export const settingsSchema = z.strictObject({
  /** libxgboost.so to load; null: the system's (libxgboost.so.0). */
  xgboostLibraryPath: z.string().min(1).nullable(),
  defaultConcurrency: z.number().int().min(1).max(64),
  /** Folders searched for data sets (fashion-mnist, mnist, CSVs by name). */
  dataFolders: z.array(z.string().min(1)).max(50),
  tfjsBackend: z.enum(TFJS_BACKEND_PREFERENCES),
})
export type StudioSettings = z.infer<typeof settingsSchema>

const studyTemplateSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  objectiveKind: z.enum(OBJECTIVE_KINDS),
  /** The study-file form, ready for the editor (name left for the user to change). */
  raw: z.record(z.string(), z.unknown()),
})
export type StudyTemplate = z.infer<typeof studyTemplateSchema>

/** A small public data set that ships with the app, to try a study on at once. */
const sampleDatasetSchema = z.object({
  name: z.string(),
  path: z.string(),
  rows: z.number().int(),
  features: z.number().int(),
  classes: z.number().int(),
  /** Where it comes from, e.g. "sklearn load_wine (UCI Wine)". */
  source: z.string(),
})
export type SampleDataset = z.infer<typeof sampleDatasetSchema>

const datasetRefSchema = z.discriminatedUnion('kind', [
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
export type DatasetRef = z.infer<typeof datasetRefSchema>

const datasetSummarySchema = z.object({
  kind: z.enum(DATASET_KINDS),
  path: z.string(),
  sizeBytes: z.number(),
  rows: z.number().int(),
  /** Feature columns (tabular) or pixels per image (images). */
  features: z.number().int(),
  columnNames: z.array(z.string()),
  target: z.string().nullable(),
  classes: z.array(z.object({ label: z.string(), count: z.number().int() })),
  missingCells: z.number().int(),
  /** Image height × width (images). */
  imageShape: z.array(z.number().int()).nullable(),
  warnings: z.array(z.string()),
})
export type DatasetSummary = z.infer<typeof datasetSummarySchema>

const appInfoSchema = z.object({
  version: z.string(),
  transport: z.enum(['electron', 'http']),
  databasePath: z.string(),
  datasetDir: z.string(),
  uploadLimitBytes: z.number(),
  /** Electron: files are picked with the native dialog; a browser uploads them instead. */
  nativeFileDialog: z.boolean(),
  /** What the Python client's hs.connect(url, name) takes to ask and tell here; null when not served. */
  clientUrl: z.string().nullable(),
})
export type AppInfo = z.infer<typeof appInfoSchema>

const summaryOnly = studySummarySchema
const nothing = z.null()

type MethodSchemas<M extends StudioMethod> = {
  args: z.ZodType<StudioArgs<M>, unknown>
  result: z.ZodType<StudioResult<M>>
}
const def = <M extends StudioMethod>(
  args: MethodSchemas<M>['args'],
  result: MethodSchemas<M>['result'],
): MethodSchemas<M> => ({ args, result })

/** Per method: `args` (the argument tuple) and `result` (what the handler resolves with). */
export const studioApiSchemas: { [M in StudioMethod]: MethodSchemas<M> } = {
  getAppInfo: def<'getAppInfo'>(z.tuple([]), appInfoSchema),
  listStudies: def<'listStudies'>(z.tuple([]), z.array(studySummarySchema)),
  getStudy: def<'getStudy'>(z.tuple([id]), studyDetailSchema),
  validateStudy: def<'validateStudy'>(z.tuple([studyInputSchema]), parsed(studySpecSchema)),
  createStudy: def<'createStudy'>(z.tuple([studyInputSchema]), summaryOnly),
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
  listTrials: def<'listTrials'>(z.tuple([id, trialQuerySchema.optional()]), trialPageSchema),
  getTrial: def<'getTrial'>(z.tuple([id, trialNumber]), trialDetailSchema),
  getTrialLog: def<'getTrialLog'>(z.tuple([id, trialNumber]), trialLogSchema),
  getSettings: def<'getSettings'>(z.tuple([]), settingsSchema),
  setSettings: def<'setSettings'>(z.tuple([settingsSchema.partial()]), settingsSchema),
  listTemplates: def<'listTemplates'>(z.tuple([]), z.array(studyTemplateSchema)),
  listSampleDatasets: def<'listSampleDatasets'>(z.tuple([]), z.array(sampleDatasetSchema)),
  checkDataset: def<'checkDataset'>(z.tuple([datasetRefSchema]), datasetSummarySchema),
  uploadDataset: def<'uploadDataset'>(
    z.tuple([
      z.strictObject({
        fileName: z.string().min(1).max(200),
        contentBase64: z.string().max(UPLOAD_BASE64_MAX),
        target: z.string().min(1).optional(),
      }),
    ]),
    z.object({ path: z.string(), summary: datasetSummarySchema.nullable() }),
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
      z.number().int().min(0).max(MAX_SEED).optional(),
    ]),
    parsed(z.array(configSchema)),
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
  getTrialPlots: def<'getTrialPlots'>(z.tuple([id]), trialPlotsViewSchema),
  getAgentTimeline: def<'getAgentTimeline'>(z.tuple([id]), agentTimelineSchema.nullable()),
  listTrialFiles: def<'listTrialFiles'>(z.tuple([id, trialNumber]), trialFilesSchema),
  readTrialFile: def<'readTrialFile'>(
    z.tuple([id, trialNumber, z.string().min(1).max(1000)]),
    trialFileContentSchema,
  ),
  downloadTrialFile: def<'downloadTrialFile'>(
    z.tuple([id, trialNumber, z.string().min(1).max(1000)]),
    trialFileDownloadSchema,
  ),
  exportStudy: def<'exportStudy'>(z.tuple([id, exportRequestSchema]), exportFileSchema),
  getSnippets: def<'getSnippets'>(z.tuple([id, trialNumber]), snippetsSchema),
  previewOptunaFile: def<'previewOptunaFile'>(z.tuple([optunaSourceSchema]), optunaPreviewSchema),
  importOptunaStudies: def<'importOptunaStudies'>(
    z.tuple([optunaImportRequestSchema]),
    optunaImportedSchema,
  ),
}

/** True when `name` is one of the routed methods (never a prototype key like "constructor"). */
export function isStudioMethod(name: string): name is StudioMethod {
  return (STUDIO_METHODS as readonly string[]).includes(name)
}
