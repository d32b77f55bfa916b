// Runs in a trial worker: a gbdt study's training and validation rows, parsed once per worker
// process and reused by its trials while the files are unchanged (path + size + mtime).
import { statSync } from 'node:fs'
import type { ObjectiveSpec } from '../../shared/objectiveSpec.ts'
import { DatasetError, readCsv, type TabularDataset } from '../data/readCsv.ts'
import { splitDataset, takeRows, wholeDataset, type DatasetPart } from '../data/splitDataset.ts'

export type GbdtObjectiveSpec = Extract<ObjectiveSpec, { kind: 'gbdt' }>

export interface GbdtData {
  train: DatasetPart
  valid: DatasetPart
  /** Original label per class index. */
  classes: string[]
  featureNames: string[]
  target: string
  /** Rows of the dataset file in the training part, for a fraction split (null for a validation file). */
  trainRows: number[] | null
  validRows: number[] | null
}

const MAX_CACHED = 4
const cache = new Map<string, unknown>()

function fileStamp(file: string): string {
  try {
    const s = statSync(file)
    return `${file}|${s.size}|${s.mtimeMs}`
  } catch (e) {
    throw new DatasetError(`${file}: cannot read the file: ${(e as Error).message}`, file)
  }
}

function cached<T>(key: string, make: () => T): T {
  if (cache.has(key)) {
    const v = cache.get(key) as T
    cache.delete(key)
    cache.set(key, v)
    return v
  }
  const v = make()
  cache.set(key, v)
  while (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string)
  return v
}

function readTraining(objective: GbdtObjectiveSpec): TabularDataset {
  const key = `csv|${fileStamp(objective.dataset)}|${objective.target ?? ''}`
  return cached(key, () => readCsv(objective.dataset, { target: objective.target }))
}

/** Reads a validation or test file against the training file: same columns, labels mapped to its classes. */
export function readCompanionFile(file: string, training: TabularDataset): TabularDataset {
  return readCsv(file, {
    target: training.target,
    classes: training.classes,
    columns: training.header,
  })
}

/** The training and validation parts of a gbdt objective's data set. */
export function loadGbdtData(objective: GbdtObjectiveSpec): GbdtData {
  const ds = readTraining(objective)
  const v = objective.validation
  const base = { classes: ds.classes, featureNames: ds.featureNames, target: ds.target }
  if ('file' in v) {
    const key = `valid|${fileStamp(objective.dataset)}|${fileStamp(v.file)}|${objective.target ?? ''}`
    return cached(key, () => ({
      ...base,
      train: wholeDataset(ds),
      valid: wholeDataset(readCompanionFile(v.file, ds)),
      trainRows: null,
      validRows: null,
    }))
  }
  const key = `split|${fileStamp(objective.dataset)}|${objective.target ?? ''}|${v.fraction}|${v.stratify}|${v.seed}`
  return cached(key, () => {
    let split
    try {
      split = splitDataset(ds.labels, v, ds.classes)
    } catch (e) {
      throw new DatasetError(
        `${objective.dataset}: validation split: ${(e as Error).message}`,
        objective.dataset,
      )
    }
    return {
      ...base,
      train: takeRows(ds, split.train),
      valid: takeRows(ds, split.valid),
      trainRows: split.train,
      validRows: split.valid,
    }
  })
}

/** The `test:` file of a gbdt objective, read against its training file. */
export function loadGbdtTestPart(objective: GbdtObjectiveSpec): DatasetPart {
  if (!objective.test) throw new Error('this gbdt objective has no test file')
  return wholeDataset(readCompanionFile(objective.test, readTraining(objective)))
}
