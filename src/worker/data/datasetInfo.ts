// Runs in a worker: what the store records about a tabular data set (content hash, shape, class
// counts), so a study knows which data it tuned on and can warn when the file has changed.
import { createHash } from 'node:crypto'
import path from 'node:path'
import { MAX_CSV_BYTES } from '../../shared/objectiveSpec.ts'
import { readCsv } from './readCsv.ts'
import { readDataFile } from './readDataFile.ts'

export interface TabularDatasetInfo {
  kind: 'tabular'
  /** File name without its extension. */
  name: string
  path: string
  /** SHA-256 of the file's bytes, hex. */
  sha256: string
  bytes: number
  rows: number
  features: number
  featureNames: string[]
  target: string
  /** Original labels, in class-index order. */
  classes: string[]
  /** Rows per class, in the same order. */
  classCounts: number[]
  missingCells: number
}

/** SHA-256 of bytes, hex (the same digest as `sha256sum`). */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** Hash, shape and class counts of a CSV data set; throws a DatasetError for a bad file. */
export function datasetInfo(file: string, options: { target?: string } = {}): TabularDatasetInfo {
  const ds = readCsv(file, { target: options.target })
  const bytes = readDataFile(file, MAX_CSV_BYTES)
  const classCounts = ds.classes.map(() => 0)
  for (const y of ds.labels) classCounts[y]++
  return {
    kind: 'tabular',
    name: path.basename(file).replace(/\.[^.]*$/, ''),
    path: path.resolve(file),
    sha256: sha256Hex(bytes),
    bytes: bytes.length,
    rows: ds.rows,
    features: ds.cols,
    featureNames: ds.featureNames,
    target: ds.target,
    classes: ds.classes,
    classCounts,
    missingCells: ds.missingCells,
  }
}
