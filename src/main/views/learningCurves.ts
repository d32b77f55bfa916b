// Runs in main: learning curves (intermediate values) of chosen, best or all trials, downsampled in the
// analysis worker so a 10,000-trial study sends a few hundred short curves.
import type { CurvesQuery } from '../../shared/analysisViews.ts'
import type { StudyRecord } from '../../shared/study.ts'
import type { CurveSeries } from '../../shared/studioApi.ts'
import { FINISHED_STATES, type TrialRecord } from '../../shared/trial.ts'
import type { AnalysisContext } from './analysisContext.ts'
import { roundPlot } from './plotValues.ts'
import { requireStudy } from './requireStudy.ts'

export type CurvesOptions = CurvesQuery
export const DEFAULT_CURVE_TOP = 10
export const DEFAULT_CURVE_POINTS = 100
export const DEFAULT_ALL_CURVES = 200
/** Points per curve when all curves are drawn (hundreds of lines need less detail each). */
export const DEFAULT_ALL_CURVE_POINTS = 40

const byValue =
  (direction: StudyRecord['spec']['direction']) =>
  (a: TrialRecord, b: TrialRecord): number =>
    (direction === 'minimize' ? 1 : -1) * ((a.value as number) - (b.value as number)) ||
    a.number - b.number

const ranked = (study: StudyRecord, trials: TrialRecord[]): TrialRecord[] =>
  trials
    .filter((t) => t.state === 'complete' && t.value !== null && Number.isFinite(t.value))
    .sort(byValue(study.spec.direction))

/** Which trials a curve query means, in the order they are drawn (best first for top K). */
function curveTrials(ctx: AnalysisContext, study: StudyRecord, o: CurvesOptions): TrialRecord[] {
  const { store } = ctx
  if (o.trials) {
    const wanted = new Set(o.trials)
    const found = new Map<number, TrialRecord>()
    for (const n of wanted) {
      const t = store.getTrial(study.id, n)
      if (t) found.set(n, t)
    }
    return o.trials.filter((n) => found.has(n)).map((n) => found.get(n)!)
  }
  const running = ctx.trials.inStates(study.id, ['running'])
  if (o.all) {
    const max = o.maxTrials ?? DEFAULT_ALL_CURVES
    const finished = ctx.trials.inStates(study.id, FINISHED_STATES)
    const keep = new Set<TrialRecord>([...ranked(study, finished).slice(0, 10), ...running])
    const room = Math.max(0, max - keep.size)
    const rest = finished.filter((t) => !keep.has(t))
    // Evenly spaced over the study when there are more than fit; every one when they all fit.
    const stride = Math.max(1, rest.length / Math.max(1, room))
    for (let i = 0; i < Math.min(room, rest.length); i++) keep.add(rest[Math.floor(i * stride)])
    return [...keep].sort((a, b) => a.number - b.number)
  }
  const top = o.top ?? DEFAULT_CURVE_TOP
  const best = ranked(study, ctx.trials.inStates(study.id, ['complete'])).slice(0, top)
  return [...best, ...running]
}

/** Learning curves (intermediate values), downsampled per curve; values rounded for plotting. */
export async function learningCurves(
  ctx: AnalysisContext,
  studyId: number,
  options: CurvesOptions = {},
): Promise<CurveSeries[]> {
  const study = requireStudy(ctx.store, studyId)
  const trials = curveTrials(ctx, study, options)
  if (!trials.length) return []
  const points = ctx.store.getIntermediateValues(
    studyId,
    trials.map((t) => t.id),
  )
  const cut = await ctx.fast.request({
    type: 'downsampleCurves',
    curves: trials.map((t) => ({ trialNumber: t.number, points: points.get(t.id) ?? [] })),
    maxPointsPerCurve:
      options.maxPoints ?? (options.all ? DEFAULT_ALL_CURVE_POINTS : DEFAULT_CURVE_POINTS),
    method: 'lttb',
  })
  return trials.map((t, i) => ({
    trialNumber: t.number,
    state: t.state,
    value: t.value,
    steps: cut[i].points.map((p) => p.step),
    values: cut[i].points.map((p) => roundPlot(p.value)),
    points: cut[i].total,
  }))
}
