// Runs in main: chosen trials side by side — what differs in their parameters, their values and
// durations, their learning curves overlaid.
import type { ComparedTrial, TrialComparisonView } from '../../shared/analysisViews.ts'
import type { ParamValue } from '../../shared/searchSpace.ts'
import { StudioError } from '../../shared/studioApi.ts'
import type { TrialRecord } from '../../shared/trial.ts'
import type { AnalysisContext } from './analysisContext.ts'
import { learningCurves } from './learningCurves.ts'
import { requireStudy } from './requireStudy.ts'

export const COMPARE_MAX = 20

function durationMs(t: TrialRecord): number | null {
  if (!t.startedAt || !t.finishedAt) return null
  const ms = Date.parse(t.finishedAt) - Date.parse(t.startedAt)
  return Number.isFinite(ms) ? Math.max(0, ms) : null
}

/** Parameters in space order, then any only the trials have (sorted): a trial may hold a renamed one. */
function paramNames(space: { params: { name: string }[] }, trials: TrialRecord[]): string[] {
  const names = space.params.map((p) => p.name)
  const known = new Set(names)
  const extra = new Set<string>()
  for (const t of trials) for (const k of Object.keys(t.params)) if (!known.has(k)) extra.add(k)
  return [...names, ...[...extra].sort()]
}

export async function compareTrials(
  ctx: AnalysisContext,
  studyId: number,
  numbers: number[],
  options: { maxPoints?: number } = {},
): Promise<TrialComparisonView> {
  const study = requireStudy(ctx.store, studyId)
  const unique = [...new Set(numbers)]
  if (unique.length > COMPARE_MAX)
    throw new StudioError(
      'BAD_ARGS',
      `compare at most ${COMPARE_MAX} trials at once, got ${unique.length}`,
    )
  const trials = unique.map((n) => {
    const t = ctx.store.getTrial(studyId, n)
    if (!t) throw new StudioError('TRIAL_NOT_FOUND', `study ${studyId} has no trial ${n}`)
    return t
  })
  const differing: TrialComparisonView['differing'] = []
  const same: TrialComparisonView['same'] = []
  for (const name of paramNames(study.spec.space, trials)) {
    const values: (ParamValue | null)[] = trials.map((t) =>
      name in t.params ? t.params[name] : null,
    )
    if (values.every((v) => v === null)) continue
    if (values.every((v) => v === values[0])) same.push({ name, value: values[0] })
    else differing.push({ name, values })
  }
  const compared: ComparedTrial[] = trials.map((t) => ({
    number: t.number,
    state: t.state,
    value: t.value,
    durationMs: durationMs(t),
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
    error: t.error,
    params: t.params,
  }))
  const curves = trials.length
    ? await learningCurves(ctx, studyId, { trials: unique, maxPoints: options.maxPoints ?? 200 })
    : []
  return {
    direction: study.spec.direction,
    metric: study.spec.metric,
    trials: compared,
    differing,
    same,
    curves,
  }
}
