// Runs in the analysis worker: fewer points for the charts of big studies (10,000 trials × 100 steps)
// that still look like the full data: LTTB or min/max per bucket, extremes and best-so-far kept.
import type {
  CurveInput,
  CurveOutput,
  DownsampleMethod,
  HistoryOutput,
  HistoryPoint,
  HistoryTrial,
} from '../../shared/analysisProtocol.ts'
import { ranksForBest } from '../../shared/bestTrial.ts'
import { isBetter, type Direction } from '../../shared/study.ts'
import type { IntermediateValue } from '../../shared/trial.ts'

/**
 * Largest-Triangle-Three-Buckets (Steinarsson 2013): indices of at most `threshold` points, the
 * first and last always among them, x ascending.
 */
export function lttbIndices(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  threshold: number,
): number[] {
  const n = xs.length
  if (threshold >= n || n <= 2) return Array.from({ length: n }, (_, i) => i)
  if (threshold < 3) return threshold <= 1 ? [0] : [0, n - 1]
  const out = [0]
  const every = (n - 2) / (threshold - 2)
  let a = 0
  for (let i = 0; i < threshold - 2; i++) {
    const start = Math.floor(i * every) + 1
    const end = Math.floor((i + 1) * every) + 1
    // the average of the next bucket is the third corner of the triangle
    const nextStart = end
    const nextEnd = Math.min(n, Math.floor((i + 2) * every) + 1)
    let avgX = 0
    let avgY = 0
    for (let j = nextStart; j < nextEnd; j++) {
      avgX += xs[j]
      avgY += ys[j]
    }
    const len = nextEnd - nextStart
    avgX = len > 0 ? avgX / len : xs[n - 1]
    avgY = len > 0 ? avgY / len : ys[n - 1]
    let best = start
    let bestArea = -1
    for (let j = start; j < end; j++) {
      const area = Math.abs((xs[a] - avgX) * (ys[j] - ys[a]) - (xs[a] - xs[j]) * (avgY - ys[a]))
      if (area > bestArea) {
        bestArea = area
        best = j
      }
    }
    out.push(best)
    a = best
  }
  out.push(n - 1)
  return out
}

/**
 * Min/max per bucket: indices of at most `maxPoints` points (x ascending), the first and last,
 * and in each of ⌊(maxPoints − 2) / 2⌋ equal-count buckets its lowest and highest y. Every
 * outlier survives, which LTTB does not promise.
 */
export function minMaxIndices(ys: ArrayLike<number>, maxPoints: number): number[] {
  const n = ys.length
  if (maxPoints >= n || n <= 2) return Array.from({ length: n }, (_, i) => i)
  const buckets = Math.max(1, Math.floor((maxPoints - 2) / 2))
  const out = [0]
  const size = (n - 2) / buckets
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size) + 1
    const end = Math.floor((b + 1) * size) + 1
    if (end <= start) continue
    let lo = start
    let hi = start
    for (let j = start + 1; j < end; j++) {
      if (ys[j] < ys[lo]) lo = j
      if (ys[j] > ys[hi]) hi = j
    }
    if (lo === hi) out.push(lo)
    else out.push(Math.min(lo, hi), Math.max(lo, hi))
  }
  out.push(n - 1)
  return out
}

function pick(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  max: number,
  method: DownsampleMethod,
): number[] {
  return method === 'lttb' ? lttbIndices(xs, ys, max) : minMaxIndices(ys, max)
}

/** One learning curve with at most `maxPoints` points (non-finite values dropped, step order kept). */
export function downsampleCurve(
  points: readonly IntermediateValue[],
  maxPoints: number,
  method: DownsampleMethod = 'lttb',
): IntermediateValue[] {
  const finite = points.filter((p) => Number.isFinite(p.value) && Number.isFinite(p.step))
  const sorted = finite.every((p, i) => i === 0 || finite[i - 1].step <= p.step)
    ? finite
    : [...finite].sort((a, b) => a.step - b.step)
  if (sorted.length <= maxPoints) return sorted.map((p) => ({ step: p.step, value: p.value }))
  const xs = sorted.map((p) => p.step)
  const ys = sorted.map((p) => p.value)
  return pick(xs, ys, maxPoints, method).map((i) => ({ step: xs[i], value: ys[i] }))
}

export function downsampleCurves(
  curves: readonly CurveInput[],
  maxPointsPerCurve: number,
  method: DownsampleMethod = 'lttb',
): CurveOutput[] {
  return curves.map((c) => ({
    trialNumber: c.trialNumber,
    points: downsampleCurve(c.points, maxPointsPerCurve, method),
    total: c.points.length,
  }))
}

/** Indices of at most `max` of n items spread evenly, the first and the last included. */
function evenIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i)
  if (max <= 1) return [0]
  return Array.from({ length: max }, (_, i) => Math.round((i * (n - 1)) / (max - 1)))
}

/**
 * The optimization history of a study in at most about `maxPoints` points: complete and pruned
 * values apart (min/max per bucket, so outliers stay visible on a log axis too), failed trials as
 * numbers, and the exact best-so-far line over complete feasible trials only.
 */
export function downsampleHistory(
  direction: Direction,
  trials: readonly HistoryTrial[],
  maxPoints: number,
): HistoryOutput {
  const ordered = [...trials].sort((a, b) => a.number - b.number)
  const complete: HistoryPoint[] = []
  const pruned: HistoryPoint[] = []
  const failed: number[] = []
  const bestSoFar: HistoryPoint[] = []
  const improvements = new Set<number>()
  for (const t of ordered) {
    const finite = t.value !== null && Number.isFinite(t.value)
    if (t.state === 'complete' && finite) {
      const p = { number: t.number, value: t.value as number }
      if (
        ranksForBest(t) &&
        (bestSoFar.length === 0 || isBetter(direction, p.value, bestSoFar.at(-1)!.value))
      ) {
        bestSoFar.push(p)
        improvements.add(complete.length)
      }
      complete.push(p)
    } else if (t.state === 'pruned' && finite)
      pruned.push({ number: t.number, value: t.value as number })
    else if (t.state === 'failed') failed.push(t.number)
  }
  const last = ordered.at(-1)
  if (bestSoFar.length && last && bestSoFar.at(-1)!.number !== last.number)
    bestSoFar.push({ number: last.number, value: bestSoFar.at(-1)!.value })

  const n = complete.length + pruned.length + failed.length
  const budget = Math.max(8, maxPoints - bestSoFar.length)
  const downsampled = n > maxPoints
  if (!downsampled)
    return { complete, pruned, failed, bestSoFar, total: trials.length, downsampled }
  const share = (k: number): number => Math.max(4, Math.floor((budget * k) / n))
  const keepComplete = new Set(
    minMaxIndices(
      complete.map((p) => p.value),
      share(complete.length),
    ),
  )
  for (const i of improvements) keepComplete.add(i)
  return {
    complete: [...keepComplete].sort((a, b) => a - b).map((i) => complete[i]),
    pruned: minMaxIndices(
      pruned.map((p) => p.value),
      share(pruned.length),
    ).map((i) => pruned[i]),
    failed: evenIndices(failed.length, share(failed.length)).map((i) => failed[i]),
    bestSoFar,
    total: trials.length,
    downsampled,
  }
}
