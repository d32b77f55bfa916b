// Runs in a trial worker: the validation split. A seeded fraction split is scikit-learn's
// train_test_split(arange(n), test_size=fraction, stratify=y or None, random_state=seed), row for
// row, so a study's split is the one Python users (and the reference figures) know.
import { createNumpyRandomState, type NumpyRandomState } from '../../shared/numpyRandomState.ts'
import type { TabularDataset } from './readCsv.ts'

export interface FractionSplit {
  fraction: number
  stratify: boolean
  seed: number
}

/** Row indices into the data set, in scikit-learn's order. */
export interface SplitIndices {
  train: number[]
  valid: number[]
}

/** The rows of a data set taken in a given order (a split's train or validation part). */
export interface DatasetPart {
  rows: number
  cols: number
  features: Float32Array
  labels: Int32Array
}

// scikit-learn's _approximate_mode: per-class counts summing to nDraws, ties broken at random.
function approximateMode(
  classCounts: readonly number[],
  nDraws: number,
  rng: NumpyRandomState,
): number[] {
  const total = classCounts.reduce((a, b) => a + b, 0)
  const continuous = classCounts.map((c) => (c / total) * nDraws)
  const floored = continuous.map(Math.floor)
  let needToAdd = Math.trunc(nDraws - floored.reduce((a, b) => a + b, 0))
  if (needToAdd > 0) {
    const remainder = continuous.map((c, i) => c - floored[i])
    const values = [...new Set(remainder)].sort((a, b) => b - a)
    for (const value of values) {
      const inds = remainder.flatMap((r, i) => (r === value ? [i] : []))
      const addNow = Math.min(inds.length, needToAdd)
      for (const i of rng.choiceWithoutReplacement(inds, addNow)) floored[i] += 1
      needToAdd -= addNow
      if (needToAdd === 0) break
    }
  }
  return floored
}

/** Splits rows 0..n−1 as scikit-learn's train_test_split does; `labels` are class indices 0..nClasses−1. */
export function splitDataset(
  labels: Int32Array | readonly number[],
  split: FractionSplit,
  classNames?: readonly string[],
): SplitIndices {
  const n = labels.length
  if (!(split.fraction > 0 && split.fraction < 1))
    throw new RangeError(`validation.fraction must be in (0, 1), got ${split.fraction}`)
  const nValid = Math.ceil(split.fraction * n)
  const nTrain = n - nValid
  if (nValid < 1 || nTrain < 1)
    throw new RangeError(
      `a validation fraction of ${split.fraction} of ${n} rows leaves ${nTrain} for training and ${nValid} for validation; both need rows`,
    )
  const rng = createNumpyRandomState(split.seed)
  if (!split.stratify) {
    const permutation = rng.permutation(n)
    return {
      train: permutation.slice(nValid, nValid + nTrain),
      valid: permutation.slice(0, nValid),
    }
  }

  let nClasses = 0
  for (let i = 0; i < n; i++) nClasses = Math.max(nClasses, labels[i] + 1)
  const byClass: number[][] = Array.from({ length: nClasses }, () => [])
  for (let i = 0; i < n; i++) byClass[labels[i]].push(i)
  const present = byClass.filter((rows) => rows.length > 0)
  const names = classNames ?? byClass.map((_, k) => String(k))
  const presentNames = byClass.flatMap((rows, k) => (rows.length ? [names[k]] : []))
  const counts = present.map((rows) => rows.length)
  const smallest = counts.indexOf(Math.min(...counts))
  if (counts[smallest] < 2)
    throw new RangeError(
      `class ${JSON.stringify(presentNames[smallest])} has only 1 row; a stratified split needs at least 2 per class (or set validation.stratify: false)`,
    )
  if (nTrain < present.length || nValid < present.length)
    throw new RangeError(
      `a stratified split needs at least one row per class on each side: ${present.length} classes, ${nTrain} training and ${nValid} validation rows`,
    )
  const nI = approximateMode(counts, nTrain, rng)
  const tI = approximateMode(
    counts.map((c, i) => c - nI[i]),
    nValid,
    rng,
  )
  const train: number[] = []
  const valid: number[] = []
  present.forEach((rows, i) => {
    const perm = rng.permutation(counts[i]).map((j) => rows[j])
    train.push(...perm.slice(0, nI[i]))
    valid.push(...perm.slice(nI[i], nI[i] + tI[i]))
  })
  return { train: rng.permutation(train), valid: rng.permutation(valid) }
}

/** The given rows of a data set, in that order. */
export function takeRows(ds: TabularDataset, indices: readonly number[]): DatasetPart {
  const { cols } = ds
  const features = new Float32Array(indices.length * cols)
  const labels = new Int32Array(indices.length)
  indices.forEach((row, i) => {
    if (!(row >= 0 && row < ds.rows)) throw new RangeError(`row ${row} is not in 0..${ds.rows - 1}`)
    features.set(ds.features.subarray(row * cols, (row + 1) * cols), i * cols)
    labels[i] = ds.labels[row]
  })
  return { rows: indices.length, cols, features, labels }
}

/** A whole data set as one part (a validation or test file). */
export function wholeDataset(ds: TabularDataset): DatasetPart {
  return { rows: ds.rows, cols: ds.cols, features: ds.features, labels: ds.labels }
}
