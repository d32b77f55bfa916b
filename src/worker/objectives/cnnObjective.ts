// Runs in trial workers: the cnn objective. Trains the paper's CNN (Adam) or a softmax regression (SGD) with
// TensorFlow.js on IDX images and reports the validation metric after every epoch.
import { statSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { resolveCnnParams, type PaperCnnParams } from '../../shared/cnnParams.ts'
import type { Objective, ObjectiveContext, ObjectiveResult } from '../../shared/objective.ts'
import type { ObjectiveSpec } from '../../shared/objectiveSpec.ts'
import type { Config } from '../../shared/searchSpace.ts'
import type { TrialRunSpec } from '../../shared/workerProtocol.ts'
import { readIdxImages, type IdxImages } from '../data/readIdx.ts'
import { resolveImageDataset, splitTrainValidation } from '../data/resolveImageDataset.ts'
import { buildPaperCnn, buildSoftmaxRegression } from '../tf/cnn/cnnModel.ts'
import { backendLabel, selectBackend } from '../tf/selectBackend.ts'
import {
  abortError,
  evaluate,
  trainEpoch,
  type EpochScore,
  type ImageSet,
} from '../tf/cnn/trainClassifier.ts'

type CnnObjectiveSpec = Extract<ObjectiveSpec, { kind: 'cnn' }>

interface PreparedData {
  name: string
  train: ImageSet
  validation: ImageSet
}

/** Pixels in [0, 1] of the chosen images, as one flat array. */
function toImageSet(idx: IdxImages, indices: Uint32Array): ImageSet {
  const size = idx.height * idx.width * idx.channels
  const x = new Float32Array(indices.length * size)
  const labels = new Uint8Array(indices.length)
  for (let i = 0; i < indices.length; i++) {
    const from = indices[i] * size
    for (let j = 0; j < size; j++) x[i * size + j] = idx.pixels[from + j] / 255
    labels[i] = idx.labels[indices[i]]
  }
  return {
    x,
    labels,
    count: indices.length,
    shape: [idx.height, idx.width, idx.channels],
    numClasses: idx.numClasses,
  }
}

// A worker runs trial after trial on the same images: keep the last prepared split (keyed by files and split).
let cached: { key: string; data: PreparedData } | null = null

async function prepareData(
  objective: CnnObjectiveSpec,
  dataDirs: readonly string[] | undefined,
): Promise<PreparedData> {
  const resolved = resolveImageDataset(objective.dataset, dataDirs)
  const stamp = (f: string) => {
    const s = statSync(f)
    return `${f}:${s.size}:${s.mtimeMs}`
  }
  const key = JSON.stringify([
    stamp(resolved.train.images),
    stamp(resolved.train.labels),
    objective.validation,
    objective.trainSubset ?? null,
    objective.validationSubset ?? null,
  ])
  if (cached?.key === key) return cached.data
  cached = null
  const idx = await readIdxImages(resolved.train)
  const split = splitTrainValidation(idx.count, {
    fraction: objective.validation.fraction,
    seed: objective.validation.seed,
    trainSubset: objective.trainSubset,
    validationSubset: objective.validationSubset,
  })
  const data = {
    name: resolved.name,
    train: toImageSet(idx, split.train),
    validation: toImageSet(idx, split.validation),
  }
  cached = { key, data }
  return data
}

function metricValue(metric: string, score: EpochScore): number {
  if (metric === 'accuracy') return score.accuracy
  if (metric === 'error') return 1 - score.accuracy
  if (metric === 'loss') return score.loss
  throw new Error(`a cnn objective reports accuracy, error or loss, got metric "${metric}"`)
}

export interface CnnRunOptions {
  metric: string
  resources: TrialRunSpec['resources']
}

interface Trained {
  model: tf.Sequential
  optimizer: tf.Optimizer
  data: PreparedData
  backend: string
  score: EpochScore
  value: number
  epochs: number
  trainSeconds: number
}

/** Trains one configuration (every epoch scored on the validation images); the caller disposes model and optimizer. */
async function trainConfig(
  objective: CnnObjectiveSpec,
  run: CnnRunOptions,
  params: Config,
  seed: number,
  hooks: {
    signal?: AbortSignal
    report?: (epoch: number, value: number) => void
    log?: (line: string) => void
  } = {},
): Promise<Trained> {
  const { signal } = hooks
  const values = resolveCnnParams(objective.model, objective.epochs, objective.fixed, params)
  const selection = await selectBackend(run.resources.backend)
  const backend = backendLabel(selection, run.resources.gpu)
  hooks.log?.(`backend: ${backend}`)
  const data = await prepareData(objective, run.resources.dataDirs)
  if (signal?.aborted) throw abortError(signal)
  const { shape, numClasses } = data.train
  const lr = values.learning_rate as number
  const batchSize = values.batch_size as number
  const model =
    objective.model === 'softmax'
      ? buildSoftmaxRegression(shape, numClasses, seed)
      : buildPaperCnn(values as unknown as PaperCnnParams, shape, numClasses, seed)
  const optimizer = objective.model === 'softmax' ? tf.train.sgd(lr) : tf.train.adam(lr)
  try {
    let value = NaN
    let score: EpochScore = { accuracy: NaN, loss: NaN }
    let trainSeconds = 0
    for (let epoch = 1; epoch <= values.epochs; epoch++) {
      const t0 = performance.now()
      await trainEpoch({ model, optimizer, train: data.train, batchSize, seed, signal }, epoch)
      trainSeconds += (performance.now() - t0) / 1000
      score = await evaluate(model, data.validation, signal)
      value = metricValue(run.metric, score)
      if (!Number.isFinite(value)) {
        throw new Error(
          `training diverged: validation ${run.metric} is ${value} after epoch ${epoch} (learning_rate ${lr})`,
        )
      }
      if (signal?.aborted) throw abortError(signal)
      hooks.report?.(epoch, value)
    }
    return { model, optimizer, data, backend, score, value, epochs: values.epochs, trainSeconds }
  } catch (e) {
    model.dispose()
    optimizer.dispose()
    throw e
  }
}

function disposeTrained(t: Trained): void {
  t.model.dispose()
  t.optimizer.dispose()
}

export function createCnnObjective(objective: CnnObjectiveSpec, run: CnnRunOptions): Objective {
  return {
    async run(params: Config, ctx: ObjectiveContext): Promise<ObjectiveResult> {
      const t = await trainConfig(objective, run, params, ctx.seed, {
        signal: ctx.signal,
        report: (epoch, value) => ctx.report(epoch, value),
        log: (line) => ctx.log(line),
      })
      try {
        return {
          value: t.value,
          backend: t.backend,
          userAttrs: {
            dataset: t.data.name,
            train_images: t.data.train.count,
            validation_images: t.data.validation.count,
            validation_accuracy: t.score.accuracy,
            validation_loss: Number.isFinite(t.score.loss) ? t.score.loss : null,
            train_images_per_second: Math.round((t.data.train.count * t.epochs) / t.trainSeconds),
            parameters: t.model.countParams(),
          },
        }
      } finally {
        disposeTrained(t)
      }
    },
  }
}

/** Writes a tfjs layers model folder (model.json + weights.bin), loadable with tf.loadLayersModel. */
async function saveLayersModel(model: tf.LayersModel, folder: string): Promise<void> {
  await mkdir(folder, { recursive: true })
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = artifacts.weightData
        ? Buffer.concat(
            (Array.isArray(artifacts.weightData)
              ? artifacts.weightData
              : [artifacts.weightData]
            ).map((b) => Buffer.from(b)),
          )
        : Buffer.alloc(0)
      await writeFile(path.join(folder, 'weights.bin'), weights)
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: null,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      }
      await writeFile(path.join(folder, 'model.json'), JSON.stringify(json))
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) }
    }),
  )
}

/** Retrains a configuration with its seed and saves it as a tfjs model folder whose output is class probabilities. */
export async function trainAndSaveCnnModel(
  objective: CnnObjectiveSpec,
  run: CnnRunOptions,
  params: Config,
  seed: number,
  folder: string,
): Promise<{ description: string; value: number; backend: string }> {
  const t = await trainConfig(objective, run, params, seed)
  try {
    t.model.add(tf.layers.activation({ activation: 'softmax', name: 'probabilities' }))
    await saveLayersModel(t.model, folder)
    return {
      value: t.value,
      backend: t.backend,
      description: `tfjs layers model (model.json + weights.bin), ${t.epochs} epochs, validation ${run.metric} ${t.value} (${t.backend})`,
    }
  } finally {
    disposeTrained(t)
  }
}

/** Retrains a configuration with its seed and scores it once on the official test images (never used for tuning). */
export async function scoreCnnOnTest(
  objective: CnnObjectiveSpec,
  run: CnnRunOptions,
  params: Config,
  seed: number,
): Promise<{ value: number; description: string; backend: string }> {
  const resolved = resolveImageDataset(objective.dataset, run.resources.dataDirs)
  if (!resolved.test) {
    throw new Error(
      typeof objective.dataset === 'object'
        ? 'a data set given as images and labels files has no official test set'
        : `${resolved.name}: no t10k-images-idx3-ubyte / t10k-labels-idx1-ubyte beside the training files`,
    )
  }
  const idx = await readIdxImages(resolved.test)
  const test = toImageSet(
    idx,
    Uint32Array.from({ length: idx.count }, (_, i) => i),
  )
  const t = await trainConfig(objective, run, params, seed)
  try {
    if (test.shape.join() !== t.data.train.shape.join()) {
      throw new Error(
        `${resolved.test.images}: test images are ${test.shape.join('×')}, training images ${t.data.train.shape.join('×')}`,
      )
    }
    const score = await evaluate(t.model, { ...test, numClasses: t.data.train.numClasses })
    const value = metricValue(run.metric, score)
    const correct = Math.round(score.accuracy * test.count)
    return {
      value,
      backend: t.backend,
      description: `${run.metric} ${value} on ${test.count} test images (${correct} correct; ${t.backend})`,
    }
  } finally {
    disposeTrained(t)
  }
}
