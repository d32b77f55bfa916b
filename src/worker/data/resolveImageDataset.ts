// Runs in trial workers: where a cnn objective's images are, and which of them validate. `fashion-mnist` is
// Debian's dataset-fashion-mnist or a folder from the settings, `mnist` a folder from the settings, or explicit
// files. Validation always comes out of the training images: the official test set is never used for tuning.
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import type { ObjectiveSpec } from '../../shared/objectiveSpec.ts'
import { createRng } from '../../shared/rng.ts'

type CnnObjectiveSpec = Extract<ObjectiveSpec, { kind: 'cnn' }>
export type ImageDatasetRef = CnnObjectiveSpec['dataset']

export interface ImageFiles {
  images: string
  labels: string
}

export interface ResolvedImageDataset {
  /** 'fashion-mnist', 'mnist', or the images file's name. */
  name: string
  train: ImageFiles
  /** The official test files when the folder has them (scored once at the end, never for tuning). */
  test: ImageFiles | null
}

/** Folders Debian's dataset packages install to (dataset-fashion-mnist → /usr/share/datasets/fashion-mnist). */
export const SYSTEM_DATASET_DIRS = ['/usr/share/datasets']

const INSTALL_HINT: Record<string, string> = {
  'fashion-mnist':
    "install Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist) or set a data folder in the settings",
  mnist:
    "download MNIST's four IDX files into a folder named mnist and add its parent folder to the data folders in the settings",
}

function findFile(folder: string, stem: string): string | null {
  for (const name of [
    stem,
    `${stem}.gz`,
    stem.replace('-idx', '.idx'),
    `${stem.replace('-idx', '.idx')}.gz`,
  ]) {
    const file = path.join(folder, name)
    if (existsSync(file)) return file
  }
  return null
}

function filesIn(folder: string, prefix: 'train' | 't10k'): ImageFiles | null {
  const images = findFile(folder, `${prefix}-images-idx3-ubyte`)
  const labels = findFile(folder, `${prefix}-labels-idx1-ubyte`)
  return images && labels ? { images, labels } : null
}

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory()

/**
 * Finds a named data set: in each data folder from the settings, `<folder>/<name>/` or the folder itself when
 * it is named so; then (fashion-mnist only) Debian's folder. Throws saying where it looked and how to get it.
 */
export function resolveImageDataset(
  ref: ImageDatasetRef,
  dataDirs: readonly string[] = [],
  systemDirs: readonly string[] = SYSTEM_DATASET_DIRS,
): ResolvedImageDataset {
  if (typeof ref === 'object') {
    for (const file of [ref.images, ref.labels]) {
      if (!existsSync(file)) throw new Error(`${file}: file not found`)
    }
    return { name: path.basename(ref.images), train: { ...ref }, test: null }
  }
  const candidates: string[] = []
  for (const dir of dataDirs) {
    candidates.push(path.join(dir, ref))
    if (path.basename(path.resolve(dir)) === ref) candidates.push(dir)
  }
  if (ref === 'fashion-mnist') candidates.push(...systemDirs.map((d) => path.join(d, ref)))
  for (const folder of candidates) {
    if (!isDir(folder)) continue
    const train = filesIn(folder, 'train')
    if (train) return { name: ref, train, test: filesIn(folder, 't10k') }
  }
  throw new Error(
    `${ref}: no train-images-idx3-ubyte(.gz) and train-labels-idx1-ubyte(.gz) found in ${candidates.join(', ') || 'any data folder (none set)'}; ${INSTALL_HINT[ref]}`,
  )
}

export interface SplitOptions {
  fraction: number
  seed: number
  trainSubset?: number
  validationSubset?: number
}

/**
 * Splits `count` training images into train and validation indices (sorted), seeded so every trial of a
 * study sees the same split; subsets take the first images of each part in that seeded order.
 */
export function splitTrainValidation(
  count: number,
  opts: SplitOptions,
): { train: Uint32Array; validation: Uint32Array } {
  if (count < 2) {
    throw new Error(`need at least 2 training images to split off a validation set, got ${count}`)
  }
  const rng = createRng(opts.seed)
  const order = new Uint32Array(count)
  for (let i = 0; i < count; i++) order[i] = i
  for (let i = count - 1; i > 0; i--) {
    const j = rng.int(i + 1)
    const t = order[i]
    order[i] = order[j]
    order[j] = t
  }
  const nValid = Math.min(count - 1, Math.max(1, Math.round(count * opts.fraction)))
  const validation = order.subarray(0, Math.min(nValid, opts.validationSubset ?? nValid))
  const trainAll = order.subarray(nValid)
  const train = trainAll.subarray(0, Math.min(trainAll.length, opts.trainSubset ?? trainAll.length))
  return { train: Uint32Array.from(train).sort(), validation: Uint32Array.from(validation).sort() }
}
