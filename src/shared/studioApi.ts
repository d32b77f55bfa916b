// The one renderer ⇄ main contract. Implemented once in main (studioHandlers.ts) and reached two ways:
// Electron IPC through the preload, and HTTP + WebSocket from `hpo-studio serve`. Errors cross as data.
import type {
  AgentTimeline,
  ContourView,
  CurveSeries,
  CurvesQuery,
  ExportFile,
  ExportRequest,
  HistoryView,
  ImportanceQuery,
  ImportanceView,
  ParamPoints,
  HistoryOptions,
  PlotOptions,
  ContourOptions,
  SliceView,
  SnippetView,
  StudyLive,
  StudyOverlay,
  TrialComparisonView,
  TrialFileContent,
  TrialFiles,
} from './analysisViews.ts'
import type { Config } from './searchSpace.ts'
import type { Parsed, SpecError } from './specError.ts'
import type { StudySummary } from './study.ts'
import type { StudyEvent } from './studyEvent.ts'
import type { StudySpec } from './studySpec.ts'
import type * as Api from './studioApiSchemas.ts'
import type { Json } from './trial.ts'

// Each data type is declared once, as its zod schema in studioApiSchemas.ts (views: analysisViews.ts).
export type {
  AppInfo,
  DatasetRef,
  DatasetSummary,
  LeaseView,
  SampleDataset,
  StudioSettings,
  StudyDetail,
  StudyInput,
  StudyTemplate,
  TrialDetail,
  TrialLog,
  TrialPage,
  TrialQuery,
  TrialRow,
} from './studioApiSchemas.ts'
export type { CurveSeries } from './analysisViews.ts'

/** Most trials in one page of listTrials. */
export const TRIAL_PAGE_MAX = 1000

export const TFJS_BACKEND_PREFERENCES = [
  'auto',
  'tfjs-node-gpu',
  'tfjs-node',
  'wasm',
  'cpu',
] as const

export const DEFAULT_SETTINGS: Api.StudioSettings = {
  xgboostLibraryPath: null,
  defaultConcurrency: 1,
  dataFolders: [],
  tfjsBackend: 'auto',
}

/** IPC channels of the Electron transport: one invoke channel for every method, one push channel for events. */
export const STUDIO_IPC = { call: 'studio:call', event: 'studio:event' } as const

/** What the UI is told live: the runner's events, and a nudge to reload the list when another process changed it. */
export type StudioEvent = StudyEvent | { type: 'studies-changed' }

/**
 * Everything the renderer may ask of main. Methods reject with a StudioError (code, message,
 * details); validation of a study file is not an error but a result (`validateStudy`).
 */
export interface StudioApi {
  getAppInfo(): Promise<Api.AppInfo>
  listStudies(): Promise<StudySummary[]>
  getStudy(studyId: number): Promise<Api.StudyDetail>
  /** Parses and checks a study file exactly as `hpo-studio validate` does, including main-side checks (files exist). */
  validateStudy(input: Api.StudyInput): Promise<Parsed<StudySpec>>
  /** SPEC_INVALID (details: SpecError[]) or STUDY_NAME_TAKEN on failure. */
  createStudy(input: Api.StudyInput): Promise<StudySummary>
  /** Same spec and seed under a new name (default "NAME-copy"), no trials. */
  duplicateStudy(studyId: number, name?: string): Promise<StudySummary>
  renameStudy(studyId: number, name: string): Promise<StudySummary>
  setStudyNotes(studyId: number, notes: string): Promise<StudySummary>
  setStudyTags(studyId: number, tags: string[]): Promise<StudySummary>
  /** Refused (BAD_STATE) while another live process runs the study; a study run here is stopped first. */
  deleteStudy(studyId: number): Promise<null>
  /** `trials` becomes the study's trial budget, as `hpo-studio run --trials N` makes it. */
  startStudy(studyId: number, options?: { trials?: number }): Promise<StudySummary>
  pauseStudy(studyId: number): Promise<StudySummary>
  resumeStudy(studyId: number): Promise<StudySummary>
  stopStudy(studyId: number): Promise<StudySummary>
  cancelTrial(studyId: number, trialNumber: number): Promise<null>
  listTrials(studyId: number, query?: Api.TrialQuery): Promise<Api.TrialPage>
  getTrial(studyId: number, trialNumber: number): Promise<Api.TrialDetail>
  getTrialLog(studyId: number, trialNumber: number): Promise<Api.TrialLog>
  getSettings(): Promise<Api.StudioSettings>
  setSettings(patch: Partial<Api.StudioSettings>): Promise<Api.StudioSettings>
  listTemplates(): Promise<Api.StudyTemplate[]>
  listSampleDatasets(): Promise<Api.SampleDataset[]>
  /** DATASET_INVALID with the reason when the file cannot be used. */
  checkDataset(ref: Api.DatasetRef): Promise<Api.DatasetSummary>
  /**
   * Browser only: stores the file in the app's data-set folder (TOO_LARGE past the cap) and checks it
   * (a CSV against the objective's target column, when it has one); a file the check refuses is not kept.
   */
  uploadDataset(file: {
    fileName: string
    contentBase64: string
    target?: string
  }): Promise<{ path: string; summary: Api.DatasetSummary | null }>
  /** Electron only (UNSUPPORTED in a browser): the native open dialog; null when cancelled. */
  pickDatasetFile(options: { title: string; extensions: string[] }): Promise<string | null>
  /** n configurations sampled uniformly from a space in its study-file form, or the space's errors. */
  previewSamples(space: unknown, n?: number, seed?: number): Promise<Parsed<Config[]>>

  // The study view and the trial comparison (src/main/views/): downsampled and columnar for 10,000 trials.
  /** Progress, counts per state, best so far, running trials with elapsed time and latest value, ETA. */
  getStudyLive(studyId: number): Promise<StudyLive>
  /** Optimization history downsampled in the analysis worker (every best-so-far improvement kept). */
  getHistoryView(studyId: number, options?: HistoryOptions): Promise<HistoryView>
  /** Learning curves of chosen, the top K or all (thinned) trials, downsampled per curve. */
  getLearningCurves(studyId: number, query?: CurvesQuery): Promise<CurveSeries[]>
  /** Parallel coordinates: finished trials × params (choice index for categoricals, null when inactive). */
  getParamPoints(studyId: number, options?: PlotOptions): Promise<ParamPoints>
  /** BAD_ARGS for a name that is not a parameter of the study. */
  getSlice(studyId: number, param: string, options?: PlotOptions): Promise<SliceView>
  getContour(studyId: number, x: string, y: string, options?: ContourOptions): Promise<ContourView>
  /** fANOVA in the analysis worker, a forest per seed; TOO_LARGE when it runs past its time budget. */
  getImportance(studyId: number, query?: ImportanceQuery): Promise<ImportanceView>
  /** At most COMPARE_TRIALS_MAX trials; TRIAL_NOT_FOUND for a missing one. */
  compareTrials(studyId: number, trialNumbers: number[]): Promise<TrialComparisonView>
  getStudiesOverlay(studyIds: number[]): Promise<StudyOverlay>
  /** The RL agent's snapshots over the study; null for other tuners. */
  getAgentTimeline(studyId: number): Promise<AgentTimeline | null>
  /** What the trial wrote in its $HPO_TRIAL_DIR. */
  listTrialFiles(studyId: number, trialNumber: number): Promise<TrialFiles>
  /** The start of one of those files; BAD_ARGS for a path outside the trial's folder. */
  readTrialFile(studyId: number, trialNumber: number, path: string): Promise<TrialFileContent>
  /** The CLI's export (JSON, YAML, CSV) of every trial, the top K or chosen trials, as a file to save. */
  exportStudy(studyId: number, request: ExportRequest): Promise<ExportFile>
  /** Ready-to-paste snippets of a trial's configuration for its objective kind. */
  getSnippets(studyId: number, trialNumber: number): Promise<SnippetView[]>
  /** Live events; returns the unsubscribe function. */
  onEvent(listener: (event: StudioEvent) => void): () => void
}

/** Every request method of StudioApi: what the preload exposes (plus onEvent) and what both transports route. */
export const STUDIO_METHODS = [
  'getAppInfo',
  'listStudies',
  'getStudy',
  'validateStudy',
  'createStudy',
  'duplicateStudy',
  'renameStudy',
  'setStudyNotes',
  'setStudyTags',
  'deleteStudy',
  'startStudy',
  'pauseStudy',
  'resumeStudy',
  'stopStudy',
  'cancelTrial',
  'listTrials',
  'getTrial',
  'getTrialLog',
  'getSettings',
  'setSettings',
  'listTemplates',
  'listSampleDatasets',
  'checkDataset',
  'uploadDataset',
  'pickDatasetFile',
  'previewSamples',
  'getStudyLive',
  'getHistoryView',
  'getLearningCurves',
  'getParamPoints',
  'getSlice',
  'getContour',
  'getImportance',
  'compareTrials',
  'getStudiesOverlay',
  'getAgentTimeline',
  'listTrialFiles',
  'readTrialFile',
  'exportStudy',
  'getSnippets',
] as const satisfies readonly Exclude<keyof StudioApi, 'onEvent'>[]

export type StudioMethod = (typeof STUDIO_METHODS)[number]
// Fails to compile when StudioApi gains a method that STUDIO_METHODS lacks.
const _everyMethodListed: [Exclude<keyof StudioApi, StudioMethod | 'onEvent'>] extends [never]
  ? true
  : never = true
void _everyMethodListed

export type StudioArgs<M extends StudioMethod> = Parameters<StudioApi[M]>
export type StudioResult<M extends StudioMethod> = Awaited<ReturnType<StudioApi[M]>>

export type StudioErrorCode =
  | 'BAD_ARGS'
  | 'SPEC_INVALID'
  | 'STUDY_NOT_FOUND'
  | 'STUDY_NAME_TAKEN'
  | 'TRIAL_NOT_FOUND'
  | 'BAD_STATE'
  | 'LEASE_HELD'
  | 'DATASET_INVALID'
  | 'TOO_LARGE'
  | 'UNSUPPORTED'
  | 'INTERNAL'

export interface StudioErrorData {
  code: StudioErrorCode
  message: string
  /** SPEC_INVALID: SpecError[]; BAD_ARGS: the argument errors; LEASE_HELD: the holder. */
  details?: Json | SpecError[]
}

export type StudioResponse<T> = { ok: true; value: T } | { ok: false; error: StudioErrorData }

export class StudioError extends Error {
  readonly code: StudioErrorCode
  readonly details: StudioErrorData['details']
  constructor(code: StudioErrorCode, message: string, details?: StudioErrorData['details']) {
    super(message)
    this.name = 'StudioError'
    this.code = code
    this.details = details
  }
  toData(): StudioErrorData {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details }
  }
}

/** The wire form of StudioApi: same methods, results as data. The preload exposes this as window.studio. */
export type StudioBridge = {
  [M in StudioMethod]: (...args: StudioArgs<M>) => Promise<StudioResponse<StudioResult<M>>>
} & { onEvent(listener: (event: StudioEvent) => void): () => void }

/** Turns a bridge (IPC, HTTP, or the handlers themselves) into the StudioApi, throwing StudioError. */
export function bridgeToApi(bridge: StudioBridge): StudioApi {
  const api: Record<string, unknown> = {
    onEvent: (listener: (event: StudioEvent) => void) => bridge.onEvent(listener),
  }
  for (const method of STUDIO_METHODS) {
    api[method] = async (...args: unknown[]) => {
      const call = bridge[method] as (...a: unknown[]) => Promise<StudioResponse<unknown>>
      const response = await call(...args)
      if (response.ok) return response.value
      throw new StudioError(response.error.code, response.error.message, response.error.details)
    }
  }
  return api as unknown as StudioApi
}

/** SpecErrors carried by a StudioError (SPEC_INVALID, BAD_ARGS), for marking fields. */
export function specErrorsOf(error: unknown): SpecError[] {
  if (
    error instanceof StudioError &&
    (error.code === 'SPEC_INVALID' || error.code === 'BAD_ARGS') &&
    Array.isArray(error.details)
  )
    return error.details as SpecError[]
  return []
}
