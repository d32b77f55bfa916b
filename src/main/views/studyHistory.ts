// Runs in main: the optimization history of a study, downsampled in the analysis worker.
import type { HistoryView, StudyOverlay } from '../../shared/analysisViews.ts'
import type { StudyRecord } from '../../shared/study.ts'
import { syntheticFunction } from '../../shared/syntheticFunctions.ts'
import { FINISHED_STATES } from '../../shared/trial.ts'
import { matchesTrialFilter, type TrialFilter } from '../../shared/trialFilter.ts'
import type { AnalysisContext } from './analysisContext.ts'
import { roundPoints } from './plotValues.ts'
import { requireStudy } from './requireStudy.ts'

export const DEFAULT_HISTORY_POINTS = 2000

/**
 * Every trial's value and the best-so-far line; pruned and failed trials apart; at most about
 * maxPoints points. With a filter, only the trials it passes (the best so far among them).
 */
export async function studyHistory(
  ctx: AnalysisContext,
  studyId: number,
  options: { maxPoints?: number; filter?: TrialFilter } = {},
): Promise<HistoryView> {
  const study = requireStudy(ctx.store, studyId)
  const trials = ctx.trials
    .inStates(studyId, FINISHED_STATES)
    .filter((t) => matchesTrialFilter(t, options.filter))
  const out = await ctx.fast.request({
    type: 'downsampleHistory',
    direction: study.spec.direction,
    trials: trials.map((t) => ({ number: t.number, state: t.state, value: t.value })),
    maxPoints: options.maxPoints ?? DEFAULT_HISTORY_POINTS,
  })
  return {
    direction: study.spec.direction,
    metric: study.spec.metric,
    complete: roundPoints(out.complete),
    pruned: roundPoints(out.pruned),
    failed: out.failed,
    bestSoFar: roundPoints(out.bestSoFar),
    total: out.total,
    counts: {
      complete: trials.filter((t) => t.state === 'complete').length,
      pruned: trials.filter((t) => t.state === 'pruned').length,
      failed: trials.filter((t) => t.state === 'failed').length,
    },
    downsampled: out.downsampled,
  }
}

/** What makes studies seeds of one experiment: the same objective, space, tuner, pruner and metric. */
export function setupKey(study: StudyRecord): string {
  const { objective, space, tuner, pruner, direction, metric } = study.spec
  return JSON.stringify({ objective, space, tuner, pruner, direction, metric })
}

/** The known optimum of a minimized synthetic function (its global minimum f*), else null. */
export function knownOptimum(study: StudyRecord): number | null {
  const o = study.spec.objective
  if (o.kind !== 'synthetic' || study.spec.direction !== 'minimize') return null
  return syntheticFunction(o.function, o.dimensions).optimum
}

/**
 * The histories of several studies on one chart (e.g. MBRL against TPE on the same task): each
 * study's best-so-far line and its complete trials' values, downsampled.
 */
export async function studiesOverlay(
  ctx: AnalysisContext,
  studyIds: number[],
  options: { maxPoints?: number } = {},
): Promise<StudyOverlay> {
  const studies = []
  for (const id of studyIds) {
    const study = requireStudy(ctx.store, id)
    const h = await studyHistory(ctx, id, { maxPoints: options.maxPoints ?? 500 })
    studies.push({
      studyId: id,
      name: study.name,
      tunerKind: study.spec.tuner.kind,
      direction: h.direction,
      metric: h.metric,
      complete: h.complete,
      bestSoFar: h.bestSoFar,
      total: h.total,
      seed: study.seed,
      budgetTrials: study.spec.budget.trials,
      setup: setupKey(study),
      optimum: knownOptimum(study),
    })
  }
  const directions = new Set(studies.map((s) => s.direction))
  const metrics = new Set(studies.map((s) => s.metric))
  const warning =
    directions.size > 1
      ? `these studies do not share a direction (${[...directions].join(' and ')}): their best-so-far lines go opposite ways`
      : metrics.size > 1
        ? `these studies report different metrics (${[...metrics].join(', ')})`
        : null
  return { studies, warning }
}
