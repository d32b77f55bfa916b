// Runs in main: the StudioApi methods of the study view and the trial comparison, over the store and
// the analysis workers. studioHandlers.ts spreads these into its one handler table.
import { StudioError, type StudioApi } from '../../shared/studioApi.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { AnalysisError } from './analysisHost.ts'
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
  downloadTrialFile,
  sliceData,
  studiesOverlay,
  studyHistory,
  studyImportance,
  studyLive,
  trialSnippets,
  type AnalysisContext,
} from './studyAnalysis.ts'

/** The StudioApi methods implemented here (studioHandlers.ts spreads them into its table). */
export type AnalysisMethod =
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
  | 'downloadTrialFile'
  | 'exportStudy'
  | 'getSnippets'
export type AnalysisHandlers = Pick<StudioApi, AnalysisMethod>

/** An analysis worker's failure as the StudioApi's error data (a timeout is not an internal bug). */
async function viaWorker<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (e) {
    if (!(e instanceof AnalysisError)) throw e
    if (e.code === 'BAD_REQUEST') throw new StudioError('BAD_ARGS', `${what}: ${e.message}`)
    if (e.code === 'TIMEOUT')
      throw new StudioError('TOO_LARGE', `${what} ran past its time budget: ${e.message}`)
    throw new StudioError('INTERNAL', `${what}: ${e.message}`)
  }
}

export function createAnalysisHandlers(
  store: StudyStore,
  context?: AnalysisContext,
): AnalysisHandlers & { close(): void } {
  // Workers start with the handler table, so the first chart does not wait for a process to boot.
  const owned = context ? null : createAnalysisContext(store)
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
    async downloadTrialFile(studyId, trialNumber, path) {
      return downloadTrialFile(store, studyId, trialNumber, path)
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
