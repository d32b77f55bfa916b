// Runs in main: the StudioApi methods of the study view, the trial page and the trial comparison, over
// the store and the analysis workers (the read models are in ../views/).
import type { StudioApi } from '../../shared/studioApi.ts'
import {
  agentTimeline,
  compareTrials,
  contourData,
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
import { viaWorker } from './viaWorker.ts'

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

export function createViewHandlers(ctx: AnalysisContext): Pick<StudioApi, ViewMethod> {
  const { store } = ctx
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
  }
}
