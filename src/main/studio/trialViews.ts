// Runs in main. Shapes trials for the UI: lean table rows, columnar history, downsampled curves.
import type { CurveQuery, CurveSeries, StudyHistory, TrialRow } from '../../shared/studioApi.ts'
import type { Direction } from '../../shared/study.ts'
import type { IntermediateValue, TrialRecord } from '../../shared/trial.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { downsampleCurve } from './downsampleCurve.ts'

export const DEFAULT_CURVE_TOP = 20
export const DEFAULT_CURVE_POINTS = 200

/** Wall time of a trial; a running one counts up to `now`. */
export function trialDurationMs(trial: TrialRecord, now = Date.now()): number | null {
  if (!trial.startedAt) return null
  const start = Date.parse(trial.startedAt)
  const end = trial.finishedAt
    ? Date.parse(trial.finishedAt)
    : trial.state === 'running'
      ? now
      : NaN
  return Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, end - start) : null
}

export function toTrialRow(trial: TrialRecord, latest: IntermediateValue | null): TrialRow {
  return {
    number: trial.number,
    state: trial.state,
    params: trial.params,
    value: trial.value,
    startedAt: trial.startedAt,
    finishedAt: trial.finishedAt,
    durationMs: trialDurationMs(trial),
    error: trial.error,
    backend: trial.backend,
    latest,
  }
}

/** Rows of a page; only running trials carry their latest intermediate value (one query for the page). */
export function toTrialRows(store: StudyStore, studyId: number, trials: TrialRecord[]): TrialRow[] {
  const running = trials.filter((t) => t.state === 'running').map((t) => t.id)
  const curves = running.length ? store.getIntermediateValues(studyId, running) : new Map()
  return trials.map((t) => {
    const curve = curves.get(t.id)
    return toTrialRow(t, curve && curve.length ? curve[curve.length - 1] : null)
  })
}

export function buildHistory(
  store: StudyStore,
  studyId: number,
  direction: Direction,
): StudyHistory {
  const trials = store.listTrials(studyId).sort((a, b) => a.number - b.number)
  const now = Date.now()
  return {
    direction,
    numbers: trials.map((t) => t.number),
    states: trials.map((t) => t.state),
    values: trials.map((t) => t.value),
    durationsMs: trials.map((t) => trialDurationMs(t, now)),
  }
}

/** The trials whose curves a query asks for: named ones, or the best `top` complete trials plus every running one. */
function curveTrials(
  store: StudyStore,
  studyId: number,
  query: CurveQuery,
  direction: Direction,
): TrialRecord[] {
  if (query.trials) {
    return query.trials
      .map((n) => store.getTrial(studyId, n))
      .filter((t): t is TrialRecord => t !== null)
  }
  const top = query.top ?? DEFAULT_CURVE_TOP
  const best = top
    ? store.queryTrials(studyId, {
        states: ['complete'],
        sort: { by: 'value', desc: direction === 'maximize' },
        limit: top,
      }).trials
    : []
  const running = store.queryTrials(studyId, { states: ['running'], limit: 1000 }).trials
  return [...best, ...running]
}

export function buildCurves(
  store: StudyStore,
  studyId: number,
  query: CurveQuery,
  direction: Direction,
): CurveSeries[] {
  const trials = curveTrials(store, studyId, query, direction)
  if (!trials.length) return []
  const maxPoints = query.maxPoints ?? DEFAULT_CURVE_POINTS
  const curves = store.getIntermediateValues(
    studyId,
    trials.map((t) => t.id),
  )
  return trials.map((t) => {
    const points = curves.get(t.id) ?? []
    const cut = downsampleCurve(
      points.map((p) => p.step),
      points.map((p) => p.value),
      maxPoints,
    )
    return {
      trialNumber: t.number,
      state: t.state,
      value: t.value,
      steps: cut.xs,
      values: cut.ys,
      points: points.length,
    }
  })
}
