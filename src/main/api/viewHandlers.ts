// Runs in main: the StudioApi methods of the study view, the trial page and the trial comparison, over
// the store and the analysis workers (the read models are in ../views/).
import type { StudioApi } from '../../shared/studioApi.ts'
import * as views from '../views/studyAnalysis.ts'
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

export function createViewHandlers(ctx: views.AnalysisContext): Pick<StudioApi, ViewMethod> {
  const { store } = ctx
  return {
    async getStudyLive(studyId) {
      return views.studyLive(store, studyId)
    },
    async getHistoryView(studyId, options) {
      return viaWorker('history', () =>
        ctx.views.get(studyId, `history ${JSON.stringify(options ?? {})}`, () =>
          views.studyHistory(ctx, studyId, options),
        ),
      )
    },
    async getLearningCurves(studyId, query) {
      return viaWorker('learning curves', () => views.learningCurves(ctx, studyId, query))
    },
    // Plot views are kept until the study's trials change (views/viewCache.ts).
    async getParamPoints(studyId, options) {
      return ctx.views.get(studyId, `points ${JSON.stringify(options ?? {})}`, () =>
        views.paramPoints(ctx, studyId, options),
      )
    },
    async getSlice(studyId, param, options) {
      return ctx.views.get(studyId, `slice ${JSON.stringify([param, options ?? {}])}`, () =>
        views.sliceData(ctx, studyId, param, options),
      )
    },
    async getContour(studyId, x, y, options) {
      return ctx.views.get(studyId, `contour ${JSON.stringify([x, y, options ?? {}])}`, () =>
        views.contourData(ctx, studyId, x, y, options),
      )
    },
    async getImportance(studyId, query) {
      return viaWorker('importance', () => views.studyImportance(ctx, studyId, query))
    },
    async compareTrials(studyId, trialNumbers) {
      return viaWorker('comparison', () => views.compareTrials(ctx, studyId, trialNumbers))
    },
    async getStudiesOverlay(studyIds) {
      return viaWorker('overlay', () => views.studiesOverlay(ctx, studyIds))
    },
    async getAgentTimeline(studyId) {
      return views.agentTimeline(ctx, studyId)
    },
    async listTrialFiles(studyId, trialNumber) {
      return views.listTrialFiles(store, studyId, trialNumber)
    },
    async readTrialFile(studyId, trialNumber, path) {
      return views.readTrialFile(store, studyId, trialNumber, path)
    },
    async exportStudy(studyId, request) {
      return views.exportStudyFile(store, studyId, request)
    },
    async getSnippets(studyId, trialNumber) {
      return views.trialSnippets(store, studyId, trialNumber)
    },
  }
}
