// Runs in main: parameters against the objective — parallel coordinates, slice plots and a contour for a
// pair. Categorical and bool values sit at their choice index; inactive parameters are null, never 0.
import type {
  ContourView,
  ParamPoints,
  PlotOptions,
  SliceView,
} from '../../shared/analysisViews.ts'
import { createRng } from '../../shared/rng.ts'
import type { ParamSpec, SearchSpace } from '../../shared/searchSpace.ts'
import type { StudyRecord } from '../../shared/study.ts'
import type { TrialRecord, TrialState } from '../../shared/trial.ts'
import { isEmptyFilter, matchesTrialFilter, type TrialFilter } from '../../shared/trialFilter.ts'
import { StudioError } from '../../shared/studioApi.ts'
import type { AnalysisContext } from './analysisContext.ts'
import { axisValue, paramAxis, roundPlot } from './plotValues.ts'
import { requireStudy } from './requireStudy.ts'

export const DEFAULT_PLOT_TRIALS = 2000

function requireParam(space: SearchSpace, name: string): ParamSpec {
  const p = space.params.find((q) => q.name === name)
  if (!p)
    throw new StudioError(
      'BAD_ARGS',
      `"${name}" is not a parameter of this study (${space.params.map((q) => q.name).join(', ')})`,
    )
  return p
}

/** Trials with a finite value in the given states that pass the filter (null: no filter). */
function valuedTrials(
  ctx: AnalysisContext,
  study: StudyRecord,
  states: TrialState[],
  filter: TrialFilter | undefined,
): TrialRecord[] {
  return ctx.trials
    .inStates(study.id, states)
    .filter((t) => t.value !== null && Number.isFinite(t.value) && matchesTrialFilter(t, filter))
}

/** Trials with a finite value in the given states; past `max`, the best tenth kept and the rest sampled (seeded). */
function plotTrials(
  ctx: AnalysisContext,
  study: StudyRecord,
  states: TrialState[],
  max: number,
  filter?: TrialFilter,
): { trials: TrialRecord[]; total: number } {
  return sampleTrials(study, valuedTrials(ctx, study, states, filter), max)
}

function sampleTrials(
  study: StudyRecord,
  all: TrialRecord[],
  max: number,
): { trials: TrialRecord[]; total: number } {
  if (all.length <= max) return { trials: all, total: all.length }
  const sign = study.spec.direction === 'minimize' ? 1 : -1
  const order = all
    .map((t, i) => ({ t, i }))
    .filter((x) => x.t.state === 'complete')
    .sort((a, b) => sign * ((a.t.value as number) - (b.t.value as number)))
  const keep = new Set(order.slice(0, Math.floor(max / 10)).map((x) => x.i))
  const rest = all.map((_, i) => i).filter((i) => !keep.has(i))
  const rng = createRng(study.seed)
  for (let k = 0; keep.size < max && k < rest.length; k++) {
    const j = k + rng.int(rest.length - k)
    ;[rest[k], rest[j]] = [rest[j], rest[k]]
    keep.add(rest[k])
  }
  return { trials: [...keep].sort((a, b) => a - b).map((i) => all[i]), total: all.length }
}

/**
 * Finished trials with a value, one column per parameter (parallel coordinates, slices). With a
 * filter, every trial stays (the others are context) but the sample takes those it passes first.
 */
export function paramPoints(
  ctx: AnalysisContext,
  studyId: number,
  options: PlotOptions & { states?: TrialState[] } = {},
): ParamPoints {
  const study = requireStudy(ctx.store, studyId)
  const { space } = study.spec
  const states = options.states ?? ['complete', 'pruned']
  const max = options.maxTrials ?? DEFAULT_PLOT_TRIALS
  const filter = isEmptyFilter(options.filter) ? undefined : options.filter
  const sample = plotTrials(ctx, study, states, max)
  const { total } = sample
  let { trials } = sample
  if (filter && trials.length < total) {
    const passing = sampleTrials(study, valuedTrials(ctx, study, states, filter), max).trials
    const taken = new Set(passing)
    const others = trials.filter((t) => !taken.has(t)).slice(0, max - passing.length)
    trials = [...passing, ...others].sort((a, b) => a.number - b.number)
  }
  return {
    direction: study.spec.direction,
    metric: study.spec.metric,
    axes: space.params.map((p) => paramAxis(p, Boolean(p.when))),
    numbers: trials.map((t) => t.number),
    states: trials.map((t) => t.state),
    values: trials.map((t) => roundPlot(t.value as number)),
    columns: space.params.map((p) => trials.map((t) => axisValue(p, t.params[p.name]))),
    inFilter: filter ? trials.map((t) => matchesTrialFilter(t, filter)) : null,
    total,
    sampled: trials.length < total,
  }
}

/** One parameter against the objective, for the trials where it is active. */
export function sliceData(
  ctx: AnalysisContext,
  studyId: number,
  param: string,
  options: PlotOptions = {},
): SliceView {
  const study = requireStudy(ctx.store, studyId)
  const p = requireParam(study.spec.space, param)
  const { trials } = plotTrials(
    ctx,
    study,
    ['complete', 'pruned'],
    options.maxTrials ?? DEFAULT_PLOT_TRIALS,
    options.filter,
  )
  const view: SliceView = {
    axis: paramAxis(p, Boolean(p.when)),
    direction: study.spec.direction,
    metric: study.spec.metric,
    xs: [],
    values: [],
    numbers: [],
    states: [],
    inactive: 0,
  }
  for (const t of trials) {
    const x = axisValue(p, t.params[p.name])
    if (x === null) {
      view.inactive++
      continue
    }
    view.xs.push(x)
    view.values.push(roundPlot(t.value as number))
    view.numbers.push(t.number)
    view.states.push(t.state)
  }
  return view
}

export const DEFAULT_CONTOUR_GRID = 24

/** Grid coordinates of an axis: choice indices, or `n` cell centres (log-spaced for a log axis). */
function gridOf(axis: ReturnType<typeof paramAxis>, n: number): number[] {
  if (axis.choices) return axis.choices.map((_, i) => i)
  if (axis.low === axis.high) return [axis.low]
  const [lo, hi] = axis.log ? [Math.log(axis.low), Math.log(axis.high)] : [axis.low, axis.high]
  return Array.from({ length: n }, (_, i) => {
    const u = lo + ((i + 0.5) * (hi - lo)) / n
    return roundPlot(axis.log ? Math.exp(u) : u)
  })
}

/** Position of a value on [0, 1] of its axis (log axes in log space). */
function unit(axis: ReturnType<typeof paramAxis>, x: number): number {
  if (axis.high === axis.low) return 0.5
  if (axis.log)
    return (Math.log(x) - Math.log(axis.low)) / (Math.log(axis.high) - Math.log(axis.low))
  return (x - axis.low) / (axis.high - axis.low)
}

/**
 * The objective over a pair of parameters: complete trials as points, and a grid interpolated by
 * inverse-distance weighting of the nearest trials (in axis units, log axes in log space). Cells with
 * no trial within `radius` of the unit square are null, so the map never claims what was not tried.
 */
export function contourData(
  ctx: AnalysisContext,
  studyId: number,
  xName: string,
  yName: string,
  options: PlotOptions & { grid?: number; radius?: number; neighbours?: number } = {},
): ContourView {
  const study = requireStudy(ctx.store, studyId)
  const px = requireParam(study.spec.space, xName)
  const py = requireParam(study.spec.space, yName)
  const x = paramAxis(px, Boolean(px.when))
  const y = paramAxis(py, Boolean(py.when))
  const { trials } = plotTrials(
    ctx,
    study,
    ['complete'],
    options.maxTrials ?? DEFAULT_PLOT_TRIALS,
    options.filter,
  )
  const points = {
    x: [] as number[],
    y: [] as number[],
    values: [] as number[],
    numbers: [] as number[],
  }
  for (const t of trials) {
    const a = axisValue(px, t.params[px.name])
    const b = axisValue(py, t.params[py.name])
    if (a === null || b === null) continue
    points.x.push(a)
    points.y.push(b)
    points.values.push(roundPlot(t.value as number))
    points.numbers.push(t.number)
  }
  const n = options.grid ?? DEFAULT_CONTOUR_GRID
  const gridX = gridOf(x, n)
  const gridY = gridOf(y, n)
  const n2 = points.x.length
  const ux = Float64Array.from(points.x, (v) => unit(x, v))
  const uy = Float64Array.from(points.y, (v) => unit(y, v))
  const vals = Float64Array.from(points.values)
  const r2 = (options.radius ?? 0.15) ** 2
  const k = Math.max(1, options.neighbours ?? 8)
  // The k nearest trials within the radius, kept sorted by insertion (no allocation per cell).
  const bestD = new Float64Array(k)
  const bestV = new Float64Array(k)
  const z = gridY.map((gy) =>
    gridX.map((gx) => {
      const cx = unit(x, gx)
      const cy = unit(y, gy)
      let found = 0
      for (let i = 0; i < n2; i++) {
        const dx = ux[i] - cx
        const dy = uy[i] - cy
        const d = dx * dx + dy * dy
        if (d > r2 || (found === k && d >= bestD[k - 1])) continue
        let at = Math.min(found, k - 1)
        while (at > 0 && bestD[at - 1] > d) {
          bestD[at] = bestD[at - 1]
          bestV[at] = bestV[at - 1]
          at--
        }
        bestD[at] = d
        bestV[at] = vals[i]
        if (found < k) found++
      }
      if (!found) return null
      if (bestD[0] < 1e-24) return bestV[0]
      let num = 0
      let den = 0
      for (let m = 0; m < found; m++) {
        const w = 1 / bestD[m]
        num += w * bestV[m]
        den += w
      }
      return roundPlot(num / den)
    }),
  )
  return {
    x,
    y,
    direction: study.spec.direction,
    metric: study.spec.metric,
    gridX,
    gridY,
    z,
    points,
  }
}
