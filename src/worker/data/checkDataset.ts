// Runs in a worker (the analysis role): a first look at a data set when the user picks it — shape,
// classes, missing cells — with the trainers' own readers, so the UI never accepts a file the trainers
// refuse, or the reverse. The file may be any file the user (or a browser client) names: errors say
// the line and column, never what the file holds.
import { statSync } from 'node:fs'
import type { DatasetRef, DatasetSummary } from '../../shared/studioApi.ts'
import { DatasetError, readCsv } from './readCsv.ts'
import { IdxError, readIdxImages } from './readIdx.ts'

/** Classes listed in a summary; a target with more is probably not a class label. */
const MAX_CLASSES_SHOWN = 1000

/** An unusable data set: the code the UI shows as DATASET_INVALID, a message without file content. */
function invalid(message: string): Error {
  return Object.assign(new Error(message), { code: 'DATASET_INVALID' })
}

/** Size of a regular file; a device, a folder or a pipe is refused before anything reads it. */
function regularFileSize(path: string): number {
  let stat
  try {
    stat = statSync(path)
  } catch (e) {
    throw invalid(`${path}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  if (!stat.isFile()) throw invalid(`${path}: not a regular file`)
  return stat.size
}

function countClasses(labels: Iterable<number>, names: (k: number) => string) {
  const counts = new Map<number, number>()
  for (const k of labels) counts.set(k, (counts.get(k) ?? 0) + 1)
  return [...counts.entries()]
    .sort((a, b) => a[0] - b[0])
    .slice(0, MAX_CLASSES_SHOWN + 1)
    .map(([k, count]) => ({ label: names(k), count }))
}

function checkCsv(path: string, target?: string): DatasetSummary {
  const sizeBytes = regularFileSize(path)
  const ds = readCsv(path, { target, requireTwoClasses: false })
  const warnings: string[] = []
  if (ds.classes.length < 2) warnings.push(`the target "${ds.target}" has a single class`)
  if (ds.classes.length > MAX_CLASSES_SHOWN)
    warnings.push(
      `the target "${ds.target}" has more than ${MAX_CLASSES_SHOWN} distinct values: is it a class label?`,
    )
  return {
    kind: 'tabular',
    path,
    sizeBytes,
    rows: ds.rows,
    features: ds.cols,
    columnNames: ds.header,
    target: ds.target,
    classes: countClasses(ds.labels, (k) => ds.classes[k]),
    missingCells: ds.missingCells,
    imageShape: null,
    warnings,
  }
}

async function checkIdx(images: string, labels: string): Promise<DatasetSummary> {
  const sizeBytes = regularFileSize(images) + regularFileSize(labels)
  const set = await readIdxImages({ images, labels })
  return {
    kind: 'images',
    path: images,
    sizeBytes,
    rows: set.count,
    features: set.height * set.width * set.channels,
    columnNames: [],
    target: null,
    classes: countClasses(set.labels, String),
    missingCells: 0,
    imageShape: [set.height, set.width],
    warnings: [],
  }
}

/** The summary of a CSV (features and a class target) or an IDX image/label pair, or DATASET_INVALID. */
export async function checkDataset(ref: DatasetRef): Promise<DatasetSummary> {
  try {
    return ref.kind === 'tabular'
      ? checkCsv(ref.path, ref.target)
      : await checkIdx(ref.images, ref.labels)
  } catch (e) {
    if (e instanceof DatasetError || e instanceof IdxError) throw invalid(e.withoutContent)
    throw e
  }
}
