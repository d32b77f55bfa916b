// Runs in the tuner worker: the surrogate F(u) ≈ score learnt from real trials (spec §5), its
// 5-fold cross-validated quality, and its clipped predictions for model episodes.
import type { Rng } from '../../../shared/rng.ts'
import { mlpPredict, trainSlots, type MlpWeights, type PointRole } from './batchedMlp.ts'

export type MlpSurrogateKind = 'mlp' | 'ensemble'

const FOLDS = 5
const ENSEMBLE_SIZE = 5
/** Early stopping on a 20% hold-out needs at least this many training points. */
export const MIN_POINTS_FOR_HOLDOUT = 20
export const MIN_POINTS = FOLDS
const CLIP_MARGIN = 0.05

/** The fitted surrogate: plain data, so it saves with the tuner state. */
export interface SurrogateModel {
  inputs: number
  /** One MLP, or the ensemble's members (prediction = their mean). */
  members: MlpWeights[]
  yMean: number
  yStd: number
  /** Predictions are clipped to the observed scores ± 5% of their range. */
  low: number
  high: number
}

export interface SurrogateFit {
  model: SurrogateModel
  /** R² of the pooled out-of-fold predictions of a 5-fold cross-validation (the skip rule's measure). */
  cvR2: number
  /** RMSE of those out-of-fold predictions, in score units: every point predicted by a fit that never saw it. */
  cvRmse: number
  /** RMSE on the final fit's own 20% hold-out (score units); null under 20 points. */
  holdoutRmse: number | null
  /** Epochs the final fit kept. */
  epochs: number
}

function shuffled(n: number, rng: Rng): number[] {
  const order = Array.from({ length: n }, (_, i) => i)
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1)
    ;[order[i], order[j]] = [order[j], order[i]]
  }
  return order
}

/**
 * Roles of the points for each slot: 5 CV slots (fold k left out; with ≥ 20 points left, every 5th of
 * them is the early-stopping hold-out), then the final slot(s) on all points (hold-out: fold j).
 */
function slotRoles(n: number, finals: number, rng: Rng): { roles: PointRole[][]; fold: number[] } {
  const fold = new Array<number>(n)
  shuffled(n, rng).forEach((point, position) => (fold[point] = position % FOLDS))
  const roles: PointRole[][] = []
  for (let k = 0; k < FOLDS; k++) {
    const rest = fold.flatMap((f, i) => (f === k ? [] : [i]))
    const holdout = new Set(
      rest.length >= MIN_POINTS_FOR_HOLDOUT ? rest.filter((_, j) => j % FOLDS === k % FOLDS) : [],
    )
    roles.push(fold.map((f, i) => (f === k ? 'out' : holdout.has(i) ? 'holdout' : 'train')))
  }
  for (let j = 0; j < finals; j++)
    roles.push(fold.map((f) => (n >= MIN_POINTS_FOR_HOLDOUT && f === j ? 'holdout' : 'train')))
  return { roles, fold }
}

/** Refits from scratch: the 5 CV fits and the final one (or the ensemble) train together in one batched loop. */
export function fitSurrogate(
  x: readonly (readonly number[])[],
  scores: readonly number[],
  kind: MlpSurrogateKind,
  rng: Rng,
): SurrogateFit {
  const n = scores.length
  if (n < MIN_POINTS) throw new Error(`the surrogate needs at least ${MIN_POINTS} points, got ${n}`)
  const yMean = scores.reduce((a, b) => a + b, 0) / n
  const yStd = Math.sqrt(scores.reduce((a, b) => a + (b - yMean) ** 2, 0) / n) || 1
  const y = scores.map((s) => (s - yMean) / yStd)
  const finals = kind === 'ensemble' ? ENSEMBLE_SIZE : 1
  const { roles, fold } = slotRoles(n, finals, rng)
  const slots = trainSlots(x, y, roles, rng)

  let sse = 0
  let sst = 0
  for (let i = 0; i < n; i++) {
    const predicted = slots[fold[i]].predictions[i] * yStd + yMean
    sse += (scores[i] - predicted) ** 2
    sst += (scores[i] - yMean) ** 2
  }
  const finalSlots = slots.slice(FOLDS)
  const holdout = finalSlots.map((s) => s.holdoutMse).filter((m): m is number => m !== null)
  const lo = Math.min(...scores)
  const hi = Math.max(...scores)
  return {
    model: {
      inputs: x[0].length,
      members: finalSlots.map((s) => s.weights),
      yMean,
      yStd,
      low: lo - CLIP_MARGIN * (hi - lo),
      high: hi + CLIP_MARGIN * (hi - lo),
    },
    cvR2: sst > 0 ? 1 - sse / sst : 0,
    cvRmse: Math.sqrt(sse / n),
    holdoutRmse: holdout.length
      ? Math.sqrt(holdout.reduce((a, b) => a + b, 0) / holdout.length) * yStd
      : null,
    epochs: finalSlots[0].epochs,
  }
}

/**
 * F's clipped predictions and, for an ensemble, how far its members disagree at each point: the
 * standard deviation of their predictions in score units (null for one MLP).
 */
export function surrogatePredictions(
  model: SurrogateModel,
  u: readonly (readonly number[])[],
): { values: number[]; spread: number[] | null } {
  const K = model.members.length
  const values: number[] = []
  const spread: number[] = []
  for (const row of u) {
    const raw = model.members.map((w) => mlpPredict(w, row))
    const mean = raw.reduce((a, b) => a + b, 0) / K
    values.push(Math.min(model.high, Math.max(model.low, mean * model.yStd + model.yMean)))
    spread.push(Math.sqrt(raw.reduce((a, r) => a + (r - mean) ** 2, 0) / K) * model.yStd)
  }
  return { values, spread: K > 1 ? spread : null }
}

/** F's predictions, clipped to the observed scores ± 5% of their range. */
export const predictSurrogate = (
  model: SurrogateModel,
  u: readonly (readonly number[])[],
): number[] => surrogatePredictions(model, u).values
