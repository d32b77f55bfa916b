// Runs in the tuner worker: K small regression MLPs (64-64 ReLU → 1) trained at once as one batched
// network, so the 5 cross-validation fits, the final fit and an ensemble cost one training loop.
import * as tf from '@tensorflow/tfjs'
import type { Rng } from '../../../shared/rng.ts'
import { adamStep, createAdam, disposeAdam } from './adam.ts'

export const HIDDEN_UNITS = 64
const LEARNING_RATE = 1e-3
const L2 = 1e-4
const PATIENCE = 50
/** Epochs for a slot without a hold-out (fewer than 20 points), and the cap for the others. [ours] */
export const FIXED_EPOCHS = 100
export const MAX_EPOCHS = 100

/** One MLP's weights: kernel and bias of each layer, [in, 64], [1, 64], [64, 64], [1, 64], [64, 1], [1, 1]. */
export type MlpWeights = Float32Array[]

export const mlpShapes = (inputs: number): [number, number][] => [
  [inputs, HIDDEN_UNITS],
  [1, HIDDEN_UNITS],
  [HIDDEN_UNITS, HIDDEN_UNITS],
  [1, HIDDEN_UNITS],
  [HIDDEN_UNITS, 1],
  [1, 1],
]
const isKernel = (layer: number): boolean => layer % 2 === 0

/** Glorot-uniform kernels and zero biases, drawn from the tuner's RNG. */
export function initMlp(inputs: number, rng: Rng): MlpWeights {
  return mlpShapes(inputs).map(([rows, cols], layer) => {
    const w = new Float32Array(rows * cols)
    if (!isKernel(layer)) return w
    const limit = Math.sqrt(6 / (rows + cols))
    for (let i = 0; i < w.length; i++) w[i] = (2 * rng.next() - 1) * limit
    return w
  })
}

/**
 * Predictions [K, N] of K MLPs (weights [K, rows, cols]) on inputs [K, N, in]. Biases are added as
 * ones[K, N, 1] × b[K, 1, cols]: a broadcasting add takes tfjs `cpu`'s slow per-element path.
 */
export function mlpForward(w: readonly tf.Tensor[], x: tf.Tensor3D): tf.Tensor2D {
  const ones = tf.ones([x.shape[0], x.shape[1], 1]) as tf.Tensor3D
  const dense = (a: tf.Tensor3D, layer: number): tf.Tensor3D =>
    tf.add(
      tf.matMul(a, w[layer] as tf.Tensor3D),
      tf.matMul(ones, w[layer + 1] as tf.Tensor3D),
    ) as tf.Tensor3D
  const a1 = tf.relu(dense(x, 0))
  const a2 = tf.relu(dense(a1, 2))
  return dense(a2, 4).reshape([x.shape[0], x.shape[1]])
}

export function stackKernels(inputs: number, slots: readonly MlpWeights[]): tf.Tensor3D[] {
  return mlpShapes(inputs).map(([rows, cols], layer) => {
    const flat = new Float32Array(slots.length * rows * cols)
    slots.forEach((w, k) => flat.set(w[layer], k * rows * cols))
    return tf.tensor3d(flat, [slots.length, rows, cols])
  })
}

/** What each point is for one slot: fitted, watched for early stopping, or left out. */
export type PointRole = 'train' | 'holdout' | 'out'

export interface SlotResult {
  weights: MlpWeights
  /** Predictions for every point (standardized units) at the kept epoch. */
  predictions: Float32Array
  /** Hold-out MSE (standardized) at the kept epoch; null without a hold-out. */
  holdoutMse: number | null
  epochs: number
}

/**
 * Trains one MLP per slot on standardized targets: MSE + L2 1e-4 on the kernels, full-batch Adam 1e-3
 * (one step per epoch: Adam's elementwise work on tfjs `cpu` costs as much as the matMuls, so
 * mini-batches would multiply the cost); a slot with hold-out points stops 50 epochs after its best
 * hold-out MSE and keeps those weights, a slot without runs FIXED_EPOCHS.
 */
export function trainSlots(
  x: readonly (readonly number[])[],
  y: readonly number[],
  roles: readonly (readonly PointRole[])[],
  rng: Rng,
): SlotResult[] {
  const K = roles.length
  const N = x.length
  const inputs = x[0].length
  const shapes = mlpShapes(inputs)
  const init = roles.map(() => initMlp(inputs, rng))
  const weights = stackKernels(inputs, init).map((t) => {
    const v = tf.variable(t, true)
    t.dispose()
    return v
  })
  const adam = createAdam(weights)
  const trainCount = roles.map((r) => r.filter((v) => v === 'train').length)
  const holdCount = roles.map((r) => r.filter((v) => v === 'holdout').length)
  const xs = tf.tensor3d(
    Array.from({ length: K }, () => x.map((row) => [...row])),
    [K, N, inputs],
  )
  const ys = tf.tensor2d(
    roles.map(() => [...y]),
    [K, N],
  )
  // each slot's mean over its own training points, as one weighted sum
  const trainWeight = tf.tensor2d(
    roles.map((r, k) => r.map((v) => (v === 'train' ? 1 / trainCount[k] : 0))),
    [K, N],
  )
  const best: SlotResult[] = roles.map((_, k) => ({
    weights: init[k],
    predictions: new Float32Array(N),
    holdoutMse: null,
    epochs: 0,
  }))
  const bestMse = roles.map(() => Infinity)
  const bestEpoch = roles.map(() => 0)
  const done = roles.map(() => false)
  const snapshot = (k: number, pred: Float32Array, epoch: number, mse: number | null): void => {
    const kept = weights.map((v, layer) => {
      const size = shapes[layer][0] * shapes[layer][1]
      return (v.dataSync() as Float32Array).slice(k * size, (k + 1) * size)
    })
    best[k] = {
      weights: kept,
      predictions: pred.slice(k * N, (k + 1) * N),
      holdoutMse: mse,
      epochs: epoch,
    }
  }
  try {
    for (let epoch = 0; epoch <= MAX_EPOCHS && done.includes(false); epoch++) {
      // predictions and gradients of the weights after `epoch` steps
      const { pred, grads } = tf.tidy(() => {
        let predicted: tf.Tensor | null = null
        const { grads } = tf.valueAndGrads((...w: tf.Tensor[]) => {
          predicted = tf.keep(mlpForward(w, xs))
          return tf.sum(tf.mul(trainWeight, tf.square(tf.sub(predicted, ys)))) as tf.Scalar
        })(weights)
        // the L2 term's gradient 2λw added by hand: tf.sum's gradient broadcasts a scalar over
        // the whole kernel through tfjs `cpu`'s slow per-element path
        return {
          pred: predicted as unknown as tf.Tensor,
          grads: grads.map((g, l) => (isKernel(l) ? tf.add(g, tf.mul(2 * L2, weights[l])) : g)),
        }
      })
      const values = pred.dataSync() as Float32Array
      for (let k = 0; k < K; k++) {
        if (done[k]) continue
        if (holdCount[k] === 0) {
          if (epoch === FIXED_EPOCHS) {
            snapshot(k, values, epoch, null)
            done[k] = true
          }
          continue
        }
        let sse = 0
        for (let i = 0; i < N; i++)
          if (roles[k][i] === 'holdout') sse += (values[k * N + i] - y[i]) ** 2
        const mse = sse / holdCount[k]
        if (mse < bestMse[k]) {
          bestMse[k] = mse
          bestEpoch[k] = epoch
          snapshot(k, values, epoch, mse)
        } else if (epoch - bestEpoch[k] >= PATIENCE) done[k] = true
      }
      pred.dispose()
      if (done.includes(false)) adamStep(weights, grads, adam, LEARNING_RATE)
      tf.dispose(grads)
    }
    return best
  } finally {
    disposeAdam(adam)
    tf.dispose([...weights, xs, ys, trainWeight])
  }
}
