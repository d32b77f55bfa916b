// Runs in the tuner worker: small regression MLPs (64-64 ReLU → 1) on plain arrays, trained side by
// side (the 5 cross-validation fits, the final fit, an ensemble) with early stopping per slot.
import type { Rng } from '../../../shared/rng.ts'
import { adamStep, createAdam } from './adam.ts'
import { addOuter, addVecMat, matVec } from './policyNet.ts'

export const HIDDEN_UNITS = 64
const LEARNING_RATE = 1e-3
const L2 = 1e-4
const PATIENCE = 50
/** Epochs for a slot without a hold-out (fewer than 20 points), and the cap for the others. [ours] */
export const FIXED_EPOCHS = 100
export const MAX_EPOCHS = 100

/** One MLP's weights: kernel and bias of each layer, [in, 64], [64], [64, 64], [64], [64, 1], [1]. */
export type MlpWeights = Float64Array[]

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
    const w = new Float64Array(rows * cols)
    if (!isKernel(layer)) return w
    const limit = Math.sqrt(6 / (rows + cols))
    for (let i = 0; i < w.length; i++) w[i] = (2 * rng.next() - 1) * limit
    return w
  })
}

interface Activations {
  a1: Float64Array
  a2: Float64Array
  out: number
}

function forward(w: MlpWeights, x: ArrayLike<number>, inputs: number): Activations {
  const H = HIDDEN_UNITS
  const a1 = Float64Array.from(w[1])
  addVecMat(a1, x, w[0], inputs, H)
  for (let j = 0; j < H; j++) if (a1[j] < 0) a1[j] = 0
  const a2 = Float64Array.from(w[3])
  addVecMat(a2, a1, w[2], H, H)
  for (let j = 0; j < H; j++) if (a2[j] < 0) a2[j] = 0
  let out = w[5][0]
  for (let j = 0; j < H; j++) out += a2[j] * w[4][j]
  return { a1, a2, out }
}

/** The prediction of one MLP at a point (standardized units). */
export const mlpPredict = (w: MlpWeights, x: ArrayLike<number>): number =>
  forward(w, x, x.length).out

/** Adds d(out)/d(weights)·scale at x to `grads` (one backward pass). */
function backward(
  w: MlpWeights,
  x: ArrayLike<number>,
  act: Activations,
  scale: number,
  grads: Float64Array[],
  inputs: number,
): void {
  const H = HIDDEN_UNITS
  const d2 = new Float64Array(H)
  for (let j = 0; j < H; j++) {
    grads[4][j] += act.a2[j] * scale
    d2[j] = act.a2[j] > 0 ? w[4][j] * scale : 0
  }
  grads[5][0] += scale
  addOuter(grads[2], act.a1, d2, H, H)
  for (let j = 0; j < H; j++) grads[3][j] += d2[j]
  const d1 = new Float64Array(H)
  matVec(d1, w[2], d2, H, H)
  for (let j = 0; j < H; j++) if (act.a1[j] <= 0) d1[j] = 0
  addOuter(grads[0], x, d1, inputs, H)
  for (let j = 0; j < H; j++) grads[1][j] += d1[j]
}

/** What each point is for one slot: fitted, watched for early stopping, or left out. */
export type PointRole = 'train' | 'holdout' | 'out'

export interface SlotResult {
  weights: MlpWeights
  /** Predictions for every point (standardized units) at the kept epoch. */
  predictions: Float64Array
  /** Hold-out MSE (standardized) at the kept epoch; null without a hold-out. */
  holdoutMse: number | null
  epochs: number
}

/**
 * Trains one MLP per slot on standardized targets: MSE + L2 1e-4 on the kernels, full-batch Adam
 * 1e-3; a slot with hold-out points stops 50 epochs after its best hold-out MSE and keeps those
 * weights, a slot without runs FIXED_EPOCHS.
 */
export function trainSlots(
  x: readonly (readonly number[])[],
  y: readonly number[],
  roles: readonly (readonly PointRole[])[],
  rng: Rng,
): SlotResult[] {
  const inputs = x[0].length
  const inits = roles.map(() => initMlp(inputs, rng))
  return roles.map((role, k) => trainSlot(x, y, role, inits[k], inputs))
}

function trainSlot(
  x: readonly (readonly number[])[],
  y: readonly number[],
  role: readonly PointRole[],
  init: MlpWeights,
  inputs: number,
): SlotResult {
  const N = x.length
  const w = init.map((a) => a.slice())
  const adam = createAdam(w)
  const train = role.flatMap((r, i) => (r === 'train' ? [i] : []))
  const hold = role.flatMap((r, i) => (r === 'holdout' ? [i] : []))
  let best: SlotResult = {
    weights: init,
    predictions: new Float64Array(N),
    holdoutMse: null,
    epochs: 0,
  }
  let bestMse = Infinity
  let bestEpoch = 0
  for (let epoch = 0; epoch <= MAX_EPOCHS; epoch++) {
    const acts = x.map((row) => forward(w, row, inputs))
    const predictions = Float64Array.from(acts, (a) => a.out)
    if (hold.length === 0) {
      if (epoch === FIXED_EPOCHS)
        return { weights: w, predictions, holdoutMse: null, epochs: epoch }
    } else {
      const mse = hold.reduce((s, i) => s + (predictions[i] - y[i]) ** 2, 0) / hold.length
      if (mse < bestMse) {
        bestMse = mse
        bestEpoch = epoch
        best = { weights: w.map((a) => a.slice()), predictions, holdoutMse: mse, epochs: epoch }
      } else if (epoch - bestEpoch >= PATIENCE) return best
    }
    if (epoch === MAX_EPOCHS) break
    const grads = w.map((a) => new Float64Array(a.length))
    for (const i of train)
      backward(w, x[i], acts[i], (2 * (predictions[i] - y[i])) / train.length, grads, inputs)
    grads.forEach((g, layer) => {
      if (isKernel(layer)) for (let j = 0; j < g.length; j++) g[j] += 2 * L2 * w[layer][j]
    })
    adamStep(w, grads, adam, LEARNING_RATE)
  }
  return best
}
