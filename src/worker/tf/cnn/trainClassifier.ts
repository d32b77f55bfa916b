// Runs in trial workers: trains an image classifier batch by batch from typed arrays and scores it per epoch.
// Batches are copied out of the typed arrays: slicing a big tensor on wasm copies the whole source every call.
import * as tf from '@tensorflow/tfjs'
import { createRng } from '../../../shared/rng.ts'
import type { ImageShape } from './cnnModel.ts'

/** Images as float pixels in [0, 1], row after row (count × h × w × c), with integer labels. */
export interface ImageSet {
  x: Float32Array
  labels: Uint8Array
  count: number
  shape: ImageShape
  numClasses: number
}

export interface EpochScore {
  accuracy: number
  /** Mean cross-entropy. */
  loss: number
}

export interface TrainOptions {
  model: tf.LayersModel
  optimizer: tf.Optimizer
  train: ImageSet
  batchSize: number
  /** Seeds the order of the training images. */
  seed: number
  signal?: AbortSignal
}

export function abortError(signal?: AbortSignal): Error {
  const reason = signal?.reason
  const e = new Error(
    reason instanceof Error ? reason.message : `aborted${reason ? `: ${String(reason)}` : ''}`,
  )
  e.name = 'AbortError'
  return e
}

/** Fisher–Yates with the shared seeded RNG: the same seed gives the same order on every machine. */
export function shuffledIndices(count: number, seed: number): Uint32Array {
  const rng = createRng(seed)
  const idx = new Uint32Array(count)
  for (let i = 0; i < count; i++) idx[i] = i
  for (let i = count - 1; i > 0; i--) {
    const j = rng.int(i + 1)
    const t = idx[i]
    idx[i] = idx[j]
    idx[j] = t
  }
  return idx
}

function fillBatch(
  set: ImageSet,
  order: Uint32Array | null,
  start: number,
  n: number,
  xBuf: Float32Array,
  yBuf: Float32Array | null,
): void {
  const size = set.shape[0] * set.shape[1] * set.shape[2]
  if (yBuf) yBuf.fill(0, 0, n * set.numClasses)
  for (let i = 0; i < n; i++) {
    const row = order ? order[start + i] : start + i
    xBuf.set(set.x.subarray(row * size, (row + 1) * size), i * size)
    if (yBuf) yBuf[i * set.numClasses + set.labels[row]] = 1
  }
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * One pass over the training images in a seeded order. Yields to the event loop between batches so an
 * abort (cancel, prune, time limit) is seen, and throws an AbortError then. Returns the images trained.
 */
export async function trainEpoch(opts: TrainOptions, epoch: number): Promise<number> {
  const { model, optimizer, train, batchSize, signal } = opts
  const size = train.shape[0] * train.shape[1] * train.shape[2]
  const order = shuffledIndices(train.count, (opts.seed + Math.imul(epoch, 0x9e3779b1)) >>> 0)
  const xBuf = new Float32Array(batchSize * size)
  const yBuf = new Float32Array(batchSize * train.numClasses)
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable)
  for (let start = 0; start < train.count; start += batchSize) {
    if (signal?.aborted) throw abortError(signal)
    const n = Math.min(batchSize, train.count - start)
    fillBatch(train, order, start, n, xBuf, yBuf)
    // The cpu backend keeps the array it is given, so each batch gets a fresh view that is not refilled while in use.
    const xs = tf.tensor4d(xBuf.slice(0, n * size), [n, ...train.shape])
    const ys = tf.tensor2d(yBuf.slice(0, n * train.numClasses), [n, train.numClasses])
    try {
      optimizer.minimize(
        () => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor),
        false,
        vars,
      )
    } finally {
      xs.dispose()
      ys.dispose()
    }
    await yieldToEventLoop()
  }
  return train.count
}

/** Accuracy and mean cross-entropy on a set, in chunks so memory stays small. */
export async function evaluate(
  model: tf.LayersModel,
  set: ImageSet,
  signal?: AbortSignal,
  chunk = 500,
): Promise<EpochScore> {
  const size = set.shape[0] * set.shape[1] * set.shape[2]
  const xBuf = new Float32Array(Math.min(chunk, set.count) * size)
  let correct = 0
  let lossSum = 0
  for (let start = 0; start < set.count; start += chunk) {
    if (signal?.aborted) throw abortError(signal)
    const n = Math.min(chunk, set.count - start)
    fillBatch(set, null, start, n, xBuf, null)
    const labels = set.labels.subarray(start, start + n)
    const [c, l] = tf.tidy(() => {
      const xs = tf.tensor4d(xBuf.slice(0, n * size), [n, ...set.shape])
      const logits = model.apply(xs, { training: false }) as tf.Tensor2D
      const ys = tf.oneHot(tf.tensor1d(Int32Array.from(labels), 'int32'), set.numClasses)
      const loss = tf.losses.softmaxCrossEntropy(ys, logits, undefined, undefined, tf.Reduction.SUM)
      const hits = tf.equal(tf.argMax(logits, 1), tf.tensor1d(Int32Array.from(labels), 'int32'))
      return [hits.sum().dataSync()[0], loss.dataSync()[0]]
    })
    correct += c
    lossSum += l
    await yieldToEventLoop()
  }
  return { accuracy: correct / set.count, loss: lossSum / set.count }
}
