// Runs in main: what every slice of the StudioApi handler table shares — the store, the runner hub, the
// analysis workers, the options the transport gave, and lookups that answer a missing study or trial
// with the API's error.
import type { StudioEvent } from '../../shared/studioApi.ts'
import { StudioError } from '../../shared/studioApi.ts'
import type { StudyRecord, StudySummary } from '../../shared/study.ts'
import type { TrialRecord } from '../../shared/trial.ts'
import type { RunnerHub } from '../runner/runnerHub.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { createAnalysisContext, type AnalysisContext } from '../views/analysisContext.ts'
import type { WorkerHost } from '../workers/workerHost.ts'

export const DEFAULT_UPLOAD_LIMIT_BYTES = 64 * 1024 * 1024

export interface StudioHandlerOptions {
  store: StudyStore
  hub: RunnerHub
  transport: 'electron' | 'http'
  /** Starts the analysis workers (default: Node children; Electron passes its utility-process host). */
  workers?: WorkerHost
  /** Uploaded data sets are stored under `${datasetDir}/uploads`. */
  datasetDir: string
  /** Study files here are offered as templates beside the built-in ones. */
  templatesDir?: string
  /** The sample data sets (default: resources/datasets of the checkout). */
  sampleDatasetsDir?: string
  /** Relative data paths in a study file are resolved against this (default: the working directory). */
  baseDir?: string
  uploadLimitBytes?: number
  version?: string
  /** The native open dialog (Electron); absent in a browser. */
  pickFile?: (options: { title: string; extensions: string[] }) => Promise<string | null>
  /** Poll period for studies run by other processes; 0 turns polling off (then call `poll()`). */
  followIntervalMs?: number
  /** Parse every result with its zod schema (tests). */
  checkResults?: boolean
}

export interface HandlerContext {
  store: StudyStore
  hub: RunnerHub
  /** The analysis workers (importance, downsampling, data-set checks) and the trial cache. */
  analysis: AnalysisContext & { close(): void }
  options: StudioHandlerOptions
  uploadLimit: number
  baseDir: string
  record(studyId: number): StudyRecord
  summary(studyId: number): StudySummary
  trialOf(studyId: number, trialNumber: number): TrialRecord
  /** Tells listeners the study list changed, and passes the value through. */
  changed<T>(value: T): T
}

export function createHandlerContext(
  options: StudioHandlerOptions,
  emit: (event: StudioEvent) => void,
): HandlerContext {
  const { store } = options
  const record = (studyId: number): StudyRecord => {
    const r = store.getStudy(studyId)
    if (!r) throw new StudioError('STUDY_NOT_FOUND', `no study with id ${studyId}`)
    return r
  }
  return {
    store,
    hub: options.hub,
    // Workers start with the handler table, so the first chart does not wait for a process to boot.
    analysis: createAnalysisContext(store, options.workers),
    options,
    uploadLimit: options.uploadLimitBytes ?? DEFAULT_UPLOAD_LIMIT_BYTES,
    baseDir: options.baseDir ?? process.cwd(),
    record,
    summary(studyId) {
      const s = store.listStudies().find((x) => x.id === studyId)
      if (!s) throw new StudioError('STUDY_NOT_FOUND', `no study with id ${studyId}`)
      return s
    },
    trialOf(studyId, trialNumber) {
      record(studyId)
      const t = store.getTrial(studyId, trialNumber)
      if (!t)
        throw new StudioError('TRIAL_NOT_FOUND', `study ${studyId} has no trial ${trialNumber}`)
      return t
    },
    changed(value) {
      emit({ type: 'studies-changed' })
      return value
    },
  }
}
