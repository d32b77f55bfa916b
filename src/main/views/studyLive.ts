// Runs in main: the live header of the study view (progress, best so far, running trials, ETA) from a few
// indexed queries, so it stays cheap to refresh while a 10,000-trial study runs.
import type { RunningTrialView, StudyLive } from '../../shared/analysisViews.ts'
import { ranksForBest } from '../../shared/bestTrial.ts'
import {
  FINISHED_STATES,
  TRIAL_STATES,
  type TrialRecord,
  type TrialState,
} from '../../shared/trial.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { requireStudy } from './requireStudy.ts'

const RECENT = 50

function wallMs(t: TrialRecord, now: number): number | null {
  if (!t.startedAt) return null
  const start = Date.parse(t.startedAt)
  const end = t.finishedAt ? Date.parse(t.finishedAt) : now
  return Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, end - start) : null
}

/** The best complete trial that broke no constraint (pages through the best ones until one holds). */
function bestFeasible(store: StudyStore, studyId: number, direction: 'minimize' | 'maximize') {
  const page = 100
  for (let offset = 0; ; offset += page) {
    const { trials, total } = store.queryTrials(studyId, {
      states: ['complete'],
      sort: { by: 'value', desc: direction === 'maximize' },
      offset,
      limit: page,
    })
    const found = trials.find(ranksForBest)
    if (found || offset + page >= total) return found
  }
}

export function studyLive(store: StudyStore, studyId: number, now = Date.now()): StudyLive {
  const study = requireStudy(store, studyId)
  const { spec } = study
  const counts = Object.fromEntries(
    TRIAL_STATES.map((s) => [s, store.queryTrials(studyId, { states: [s], limit: 0 }).total]),
  ) as Record<TrialState, number>

  const best = bestFeasible(store, studyId, spec.direction)
  const runningTrials = store.queryTrials(studyId, { states: ['running'], limit: 1000 }).trials
  const curves = runningTrials.length
    ? store.getIntermediateValues(
        studyId,
        runningTrials.map((t) => t.id),
      )
    : new Map()
  const running: RunningTrialView[] = runningTrials.map((t) => {
    const curve = curves.get(t.id) ?? []
    return {
      number: t.number,
      params: t.params,
      startedAt: t.startedAt,
      elapsedMs: wallMs(t, now),
      latest: curve.length ? curve[curve.length - 1] : null,
      steps: curve.length,
      backend: t.backend,
      placement: t.placement,
    }
  })

  const recent = store
    .queryTrials(studyId, {
      states: [...FINISHED_STATES],
      sort: { by: 'number', desc: true },
      limit: RECENT,
    })
    .trials.map((t) => wallMs(t, now))
    .filter((ms): ms is number => ms !== null)
  const meanTrialMs = recent.length ? recent.reduce((a, b) => a + b, 0) / recent.length : null

  const done = counts.complete + counts.pruned + counts.failed
  const concurrency = Math.max(1, spec.concurrency)
  let etaMs: number | null = null
  if (study.state === 'running' && meanTrialMs !== null) {
    const queuedAfter = Math.max(0, spec.budget.trials - done - running.length)
    const inFlight = running.reduce(
      (a, r) => Math.max(a, Math.max(0, meanTrialMs - (r.elapsedMs ?? 0))),
      0,
    )
    etaMs = inFlight + (Math.ceil(queuedAfter / concurrency) * meanTrialMs || 0)
    if (spec.budget.minutes !== undefined)
      etaMs = Math.min(etaMs, Math.max(0, spec.budget.minutes * 60_000 - study.runningMs))
  }

  return {
    studyId,
    direction: spec.direction,
    metric: spec.metric,
    counts,
    budgetTrials: spec.budget.trials,
    budgetMinutes: spec.budget.minutes ?? null,
    runningMs: study.runningMs,
    concurrency,
    best:
      best && best.value !== null
        ? {
            number: best.number,
            value: best.value,
            params: best.params,
            finishedAt: best.finishedAt,
          }
        : null,
    running,
    meanTrialMs,
    etaMs,
    now: new Date(now).toISOString(),
  }
}
