// Runs in main: the StudioApi methods of the study view, the trial page and the trial comparison, over
// the store and the analysis workers (the read models are in ../views/).
import { StudioError, type StudioApi } from '../../shared/studioApi.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { WorkerRequestError } from '../workers/workerClient.ts'
import type { WorkerHost } from '../workers/workerHost.ts'
import {
  agentTimeline,
  compareTrials,
  contourData,
  createAnalysisContext,
  exportStudyFile,
  learningCurves,
  listTrialFiles,
  paramPoints,
  readTrialFile,
  sliceData,
  studiesOverlay,
  studyHistory,
  studyImportance,
  studyLive,
  trialSnippets,
  type AnalysisContext,
} from '../views/studyAnalysis.ts'

export type ViewMethod =
  | 'getStudyLive'
  | 'getHistoryView'
  | 'getLearningCurves'
  | 'getParamPoints'
  | 'getSlice'
  | 'getContour'
  | 'getImportance'
  | 'compareTrials'
  | 'getStudiesOverlay'
  | 'getAgentTimeline'
  | 'listTrialFiles'
  | 'readTrialFile'
  | 'exportStudy'
  | 'getSnippets'

/** An analysis worker's failure as the StudioApi's error data (a timeout is not an internal bug). */
async function viaWorker<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (e) {
    if (!(e instanceof WorkerRequestError)) throw e
    if (e.code === 'BAD_REQUEST') throw new StudioError('BAD_ARGS', `${what}: ${e.message}`)
    if (e.code === 'TIMEOUT')
      throw new StudioError('TOO_LARGE', `${what} ran past its time budget: ${e.message}`)
    throw new StudioError('INTERNAL', `${what}: ${e.message}`)
  }
}

/** Over a given analysis context, or one of its own on `workers` (closed with the handlers). */
export function createViewHandlers(
  store: StudyStore,
  from: { context?: AnalysisContext; workers?: WorkerHost } = {},
): Pick<StudioApi, ViewMethod> & { close(): void } {
  const { context } = from
  // Workers start with the handler table, so the first chart does not wait for a process to boot.
  const owned = context ? null : createAnalysisContext(store, from.workers)
  const ctx = context ?? owned!
  return {
    async getStudyLive(studyId) {
      return studyLive(store, studyId)
    },
    async getHistoryView(studyId, options) {
      return viaWorker('history', () => studyHistory(ctx, studyId, options))
    },
    async getLearningCurves(studyId, query) {
      return viaWorker('learning curves', () => learningCurves(ctx, studyId, query))
    },
    async getParamPoints(studyId, options) {
      return paramPoints(ctx, studyId, options)
    },
    async getSlice(studyId, param, options) {
      return sliceData(ctx, studyId, param, options)
    },
    async getContour(studyId, x, y, options) {
      return contourData(ctx, studyId, x, y, options)
    },
    async getImportance(studyId, query) {
      return viaWorker('importance', () => studyImportance(ctx, studyId, query))
    },
    async compareTrials(studyId, trialNumbers) {
      return viaWorker('comparison', () => compareTrials(ctx, studyId, trialNumbers))
    },
    async getStudiesOverlay(studyIds) {
      return viaWorker('overlay', () => studiesOverlay(ctx, studyIds))
    },
    async getAgentTimeline(studyId) {
      return agentTimeline(ctx, studyId)
    },
    async listTrialFiles(studyId, trialNumber) {
      return listTrialFiles(store, studyId, trialNumber)
    },
    async readTrialFile(studyId, trialNumber, path) {
      return readTrialFile(store, studyId, trialNumber, path)
    },
    async exportStudy(studyId, request) {
      return exportStudyFile(store, studyId, request)
    },
    async getSnippets(studyId, trialNumber) {
      return trialSnippets(store, studyId, trialNumber)
    },
    close() {
      owned?.close()
    },
  }
}
