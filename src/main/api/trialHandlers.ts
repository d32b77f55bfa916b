// Runs in main: the StudioApi methods of a study's trials — the table, one trial, its log, cancel.
import { StudioError, type StudioApi } from '../../shared/studioApi.ts'
import { toTrialRows, trialDurationMs } from '../views/trialRows.ts'
import type { HandlerContext } from './handlerContext.ts'

export type TrialMethod = 'cancelTrial' | 'listTrials' | 'getTrial' | 'getTrialLog'

export function trialHandlers(ctx: HandlerContext): Pick<StudioApi, TrialMethod> {
  const { store, hub, trialOf } = ctx
  return {
    async cancelTrial(studyId, trialNumber) {
      const t = trialOf(studyId, trialNumber)
      if (t.state !== 'running')
        throw new StudioError('BAD_STATE', `trial ${trialNumber} is ${t.state}, not running`)
      hub.cancelTrial(studyId, trialNumber)
      return null
    },
    async listTrials(studyId, query) {
      ctx.record(studyId)
      const q = { limit: 100, ...query }
      const page = store.queryTrials(studyId, q)
      return {
        total: page.total,
        offset: q.offset ?? 0,
        trials: toTrialRows(store, studyId, page.trials),
      }
    },
    async getTrial(studyId, trialNumber) {
      const trial = trialOf(studyId, trialNumber)
      const intermediate = store.getIntermediateValues(studyId, [trial.id]).get(trial.id) ?? []
      const exists = (n: number) => n >= 0 && store.getTrial(studyId, n) !== null
      return {
        trial,
        intermediate,
        durationMs: trialDurationMs(trial),
        previous: exists(trialNumber - 1) ? trialNumber - 1 : null,
        next: exists(trialNumber + 1) ? trialNumber + 1 : null,
      }
    },
    async getTrialLog(studyId, trialNumber) {
      return store.getTrialLog(trialOf(studyId, trialNumber).id)
    },
  }
}
