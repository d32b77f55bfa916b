// Runs in main. Shapes trials for the UI's table: lean rows with their duration and latest value.
import type { TrialRow } from '../../shared/studioApi.ts'
import type { IntermediateValue, TrialRecord } from '../../shared/trial.ts'
import type { StudyStore } from '../store/studyStore.ts'

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
    placement: trial.placement,
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
