// Runs in a trial worker: the gbdt study metrics, computed from XGBoost's predicted probabilities
// so that every round's value and the final value come from one formula. The definitions follow
// XGBoost's own metrics (error at threshold 0.5, logloss clipped at 1e-16, multi-class AUC as
// one-vs-rest weighted by class prevalence).

export const GBDT_METRICS = ['accuracy', 'error', 'logloss', 'auc'] as const
export type GbdtMetric = (typeof GBDT_METRICS)[number]

export function isGbdtMetric(m: string): m is GbdtMetric {
  return (GBDT_METRICS as readonly string[]).includes(m)
}

export function metricDirection(m: GbdtMetric): 'minimize' | 'maximize' {
  return m === 'accuracy' || m === 'auc' ? 'maximize' : 'minimize'
}

/** True when `a` is strictly better than `b` for the metric. */
export function isBetter(m: GbdtMetric, a: number, b: number): boolean {
  return metricDirection(m) === 'maximize' ? a > b : a < b
}

function checkShape(preds: Float32Array, labels: Int32Array, nClasses: number): number {
  const groups = nClasses === 2 ? 1 : nClasses
  if (preds.length !== labels.length * groups)
    throw new RangeError(
      `${preds.length} predictions for ${labels.length} rows and ${nClasses} classes (expected ${labels.length * groups})`,
    )
  return groups
}

/** The predicted class of each row: probability > 0.5 (2 classes) or the first largest probability. */
export function predictedClasses(preds: Float32Array, nRows: number, nClasses: number): Int32Array {
  const out = new Int32Array(nRows)
  if (nClasses === 2) {
    for (let i = 0; i < nRows; i++) out[i] = preds[i] > 0.5 ? 1 : 0
    return out
  }
  for (let i = 0; i < nRows; i++) {
    let best = 0
    for (let k = 1; k < nClasses; k++)
      if (preds[i * nClasses + k] > preds[i * nClasses + best]) best = k
    out[i] = best
  }
  return out
}

export function correctCount(preds: Float32Array, labels: Int32Array, nClasses: number): number {
  checkShape(preds, labels, nClasses)
  const predicted = predictedClasses(preds, labels.length, nClasses)
  let correct = 0
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++
  return correct
}

const EPS = 1e-16

function logloss(preds: Float32Array, labels: Int32Array, nClasses: number): number {
  let sum = 0
  if (nClasses === 2) {
    for (let i = 0; i < labels.length; i++) {
      const p = labels[i] === 1 ? preds[i] : 1 - preds[i]
      sum -= Math.log(Math.min(Math.max(p, EPS), 1 - EPS))
    }
  } else {
    for (let i = 0; i < labels.length; i++)
      sum -= Math.log(Math.max(preds[i * nClasses + labels[i]], EPS))
  }
  return sum / labels.length
}

function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid] < v) lo = mid + 1
    else hi = mid
  }
  return lo
}

function upperBound(sorted: Float64Array, v: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid] <= v) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Area under the ROC curve of scores against 0/1 responses (ties count one half); NaN with one class only. */
export function binaryAuc(scores: ArrayLike<number>, positive: ArrayLike<boolean>): number {
  const n = scores.length
  // A numeric typed-array sort (no comparator) and binary searches for tied ranks: this runs every
  // round, and a comparator sort of 4,000 × 26 scores cost more than the round itself.
  const sorted = Float64Array.from(scores).sort()
  let rankSumPositive = 0
  let nPositive = 0
  for (let i = 0; i < n; i++) {
    if (!positive[i]) continue
    const v = scores[i]
    rankSumPositive += (lowerBound(sorted, v) + upperBound(sorted, v) + 1) / 2
    nPositive++
  }
  const nNegative = n - nPositive
  if (nPositive === 0 || nNegative === 0) return NaN
  return (rankSumPositive - (nPositive * (nPositive + 1)) / 2) / (nPositive * nNegative)
}

function auc(preds: Float32Array, labels: Int32Array, nClasses: number): number {
  const n = labels.length
  if (nClasses === 2)
    return binaryAuc(
      preds,
      Array.from(labels, (y) => y === 1),
    )
  let weighted = 0
  for (let k = 0; k < nClasses; k++) {
    const scores = new Float64Array(n)
    const positive = new Array<boolean>(n)
    let nPositive = 0
    for (let i = 0; i < n; i++) {
      scores[i] = preds[i * nClasses + k]
      positive[i] = labels[i] === k
      if (positive[i]) nPositive++
    }
    weighted += binaryAuc(scores, positive) * nPositive
  }
  return weighted / n
}

/** The study metric over a validation set; `preds` as XGBoost returns them (rows, or rows × classes). */
export function classificationMetric(
  metric: GbdtMetric,
  preds: Float32Array,
  labels: Int32Array,
  nClasses: number,
): number {
  checkShape(preds, labels, nClasses)
  switch (metric) {
    case 'accuracy':
      return correctCount(preds, labels, nClasses) / labels.length
    case 'error':
      return (labels.length - correctCount(preds, labels, nClasses)) / labels.length
    case 'logloss':
      return logloss(preds, labels, nClasses)
    case 'auc':
      return auc(preds, labels, nClasses)
  }
}
