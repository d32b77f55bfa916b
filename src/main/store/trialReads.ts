// Runs in main. Reads of trials and their intermediate values (queryTrials has its own file).
import type { PrunerTrial } from '../../shared/pruner.ts'
import type { IntermediateValue, TrialState } from '../../shared/trial.ts'
import type { StoreContext } from './storeContext.ts'
import type { StudyStore } from './studyStore.ts'
import { toTrial, type TrialRow } from './trialRecord.ts'

type TrialReadMethods = Pick<
  StudyStore,
  'getTrial' | 'listTrials' | 'getIntermediateValues' | 'listTrialCurves' | 'listUntoldFinished'
>

export function createTrialReads(ctx: StoreContext): TrialReadMethods {
  const { db } = ctx
  const byNumber = db.prepare<[number, number], TrialRow>(
    'SELECT * FROM trials WHERE study_id = ? AND number = ?',
  )
  const all = db.prepare<[number], TrialRow>(
    'SELECT * FROM trials WHERE study_id = ? ORDER BY number',
  )
  const inStates = db.prepare<[number, string], TrialRow>(
    `SELECT * FROM trials WHERE study_id = ? AND state IN (SELECT value FROM json_each(?))
     ORDER BY number`,
  )
  const untold = db.prepare<[number], TrialRow>(
    `SELECT * FROM trials WHERE study_id = ? AND told = 0
       AND state IN ('complete', 'pruned', 'failed') ORDER BY number`,
  )
  type Point = { trial_id: number; step: number | null; value: number | null }
  type CurvePoint = Point & { number: number; state: TrialState }
  const curvesOfStudy = db.prepare<[number], CurvePoint>(
    `SELECT t.id AS trial_id, t.number, t.state, iv.step, iv.value
     FROM trials t LEFT JOIN intermediate_values iv ON iv.trial_id = t.id
     WHERE t.study_id = ? ORDER BY t.number, iv.step`,
  )
  const pointsOfStudy = db.prepare<[number], Point>(
    `SELECT t.id AS trial_id, iv.step, iv.value
     FROM trials t LEFT JOIN intermediate_values iv ON iv.trial_id = t.id
     WHERE t.study_id = ? ORDER BY t.id, iv.step`,
  )
  const pointsOfTrials = db.prepare<[number, string], Point>(
    `SELECT t.id AS trial_id, iv.step, iv.value
     FROM trials t LEFT JOIN intermediate_values iv ON iv.trial_id = t.id
     WHERE t.study_id = ? AND t.id IN (SELECT value FROM json_each(?)) ORDER BY t.id, iv.step`,
  )

  return {
    getTrial(studyId, trialNumber) {
      const row = byNumber.get(studyId, trialNumber)
      return row ? toTrial(row) : null
    },
    listTrials(studyId, states?: readonly TrialState[]) {
      const rows = states ? inStates.all(studyId, JSON.stringify(states)) : all.all(studyId)
      return rows.map(toTrial)
    },
    getIntermediateValues(studyId, trialIds) {
      const points = trialIds
        ? pointsOfTrials.all(studyId, JSON.stringify(trialIds))
        : pointsOfStudy.all(studyId)
      const byTrial = new Map<number, IntermediateValue[]>()
      for (const p of points) {
        let list = byTrial.get(p.trial_id)
        if (!list) byTrial.set(p.trial_id, (list = []))
        // A NULL value is a NaN the objective reported (SQLite cannot store NaN).
        if (p.step !== null) list.push({ step: p.step, value: p.value ?? NaN })
      }
      return byTrial
    },
    listTrialCurves(studyId) {
      const curves: PrunerTrial[] = []
      let last: { number: number; intermediate: IntermediateValue[] } | undefined
      for (const p of curvesOfStudy.all(studyId)) {
        if (last?.number !== p.number) {
          last = { number: p.number, intermediate: [] }
          curves.push({ number: p.number, state: p.state, intermediate: last.intermediate })
        }
        if (p.step !== null) last.intermediate.push({ step: p.step, value: p.value ?? NaN })
      }
      return curves
    },
    listUntoldFinished(studyId) {
      return untold.all(studyId).map(toTrial)
    },
  }
}
