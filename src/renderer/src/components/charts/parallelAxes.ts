// Runs in the renderer: the axes of the parallel coordinates as scales ([0, 1] from bottom to top), and
// the two-way mapping between brushes on them and the study view's filter (paramRanges and
// paramChoices for parameters, valueMin/valueMax for the objective).
import type { ParamAxis, ParamPoints } from '../../../../shared/analysisViews.ts'
import { paramChoices, type ParamSpec, type ParamValue } from '../../../../shared/searchSpace.ts'
import type { TrialFilter } from '../../../../shared/trialFilter.ts'

export interface AxisScale {
  /** The parameter, or null for the objective (the last axis). */
  param: string | null
  label: string
  spec: ParamAxis | null
  log: boolean
  /** Value (a choice index for categoricals) → [0, 1], or null when it cannot be drawn. */
  toUnit(v: number | null): number | null
  /** Choices in index order (categorical, bool); null for numbers. */
  choices: ParamValue[] | null
  lo: number
  hi: number
}

const at = (i: number, k: number) => (k === 1 ? 0.5 : i / (k - 1))

function numeric(
  param: string | null,
  label: string,
  spec: ParamAxis | null,
  lo: number,
  hi: number,
  log: boolean,
): AxisScale {
  const useLog = log && lo > 0 && hi > 0
  const a = useLog ? Math.log(lo) : lo
  const span = (useLog ? Math.log(hi) : hi) - a || 1
  return {
    param,
    label,
    spec,
    log: useLog,
    lo,
    hi,
    choices: null,
    toUnit: (v) =>
      v === null || !Number.isFinite(v) || (useLog && v <= 0)
        ? null
        : ((useLog ? Math.log(v) : v) - a) / span,
  }
}

/** One scale per parameter axis, then the objective's (from the values drawn). */
export function axisScales(points: ParamPoints, params: readonly ParamSpec[]): AxisScale[] {
  const out = points.axes.map((ax): AxisScale => {
    if (ax.choices) {
      const k = ax.choices.length
      const spec = params.find((p) => p.name === ax.name)
      return {
        param: ax.name,
        label: ax.name,
        spec: ax,
        log: false,
        lo: 0,
        hi: k - 1,
        choices: spec ? paramChoices(spec) : ax.choices,
        toUnit: (v) => (v === null ? null : at(v, k)),
      }
    }
    return numeric(ax.name, ax.name, ax, ax.low, ax.high, ax.log)
  })
  let lo = Infinity
  let hi = -Infinity
  for (const v of points.values)
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v)
      hi = Math.max(hi, v)
    }
  if (lo > hi) [lo, hi] = [0, 1]
  out.push(numeric(null, points.metric, null, lo, hi === lo ? lo + 1 : hi, false))
  return out
}

/** [0, 1] → the axis value (inverse of toUnit), to 4 significant digits. */
function fromUnit(s: AxisScale, u: number): number {
  const v = s.log
    ? Math.exp(Math.log(s.lo) + u * (Math.log(s.hi) - Math.log(s.lo)))
    : s.lo + u * (s.hi - s.lo)
  return Number(v.toPrecision(4))
}

const clamp = (u: number) => Math.min(1, Math.max(0, u))

/** The brushes a filter shows on the axes: axis index → [low, high] in [0, 1]. */
export function brushesFromFilter(
  scales: readonly AxisScale[],
  filter: TrialFilter,
): Map<number, [number, number]> {
  const out = new Map<number, [number, number]>()
  scales.forEach((s, i) => {
    if (s.param === null) {
      if (filter.valueMin === undefined && filter.valueMax === undefined) return
      out.set(i, [
        clamp(s.toUnit(filter.valueMin ?? s.lo) ?? 0),
        clamp(s.toUnit(filter.valueMax ?? s.hi) ?? 1),
      ])
    } else if (s.choices) {
      const chosen = filter.paramChoices?.[s.param]
      if (!chosen) return
      const idx = s.choices.map((c, k) => (chosen.includes(c) ? k : -1)).filter((k) => k >= 0)
      if (!idx.length) return
      const k = s.choices.length
      const pad = k === 1 ? 0.1 : 0.3 / (k - 1)
      out.set(i, [clamp(at(Math.min(...idx), k) - pad), clamp(at(Math.max(...idx), k) + pad)])
    } else {
      const r = filter.paramRanges?.[s.param]
      if (!r) return
      out.set(i, [clamp(s.toUnit(r.min ?? s.lo) ?? 0), clamp(s.toUnit(r.max ?? s.hi) ?? 1)])
    }
  })
  return out
}

/** The filter with axis `i` brushed over [low, high] (null: that axis's brush removed). */
export function filterWithBrush(
  scales: readonly AxisScale[],
  filter: TrialFilter,
  i: number,
  range: [number, number] | null,
): TrialFilter {
  const s = scales[i]
  const f: TrialFilter = { ...filter }
  if (s.param === null) {
    delete f.valueMin
    delete f.valueMax
    if (range) {
      f.valueMin = fromUnit(s, range[0])
      f.valueMax = fromUnit(s, range[1])
    }
    return f
  }
  if (s.choices) {
    const choices = { ...f.paramChoices }
    delete choices[s.param]
    if (range) {
      const k = s.choices.length
      choices[s.param] = s.choices.filter((_, j) => at(j, k) >= range[0] && at(j, k) <= range[1])
    }
    f.paramChoices = choices
    if (!Object.keys(choices).length) delete f.paramChoices
    return f
  }
  const ranges = { ...f.paramRanges }
  delete ranges[s.param]
  if (range) ranges[s.param] = { min: fromUnit(s, range[0]), max: fromUnit(s, range[1]) }
  f.paramRanges = ranges
  if (!Object.keys(ranges).length) delete f.paramRanges
  return f
}

/** The filter without any brush (states kept). */
export function withoutBrushes(filter: TrialFilter): TrialFilter {
  const f: TrialFilter = { ...filter }
  delete f.valueMin
  delete f.valueMax
  delete f.paramRanges
  delete f.paramChoices
  return f
}
