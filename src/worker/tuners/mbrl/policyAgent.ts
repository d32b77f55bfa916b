// Runs in the tuner worker: the paper's LSTM agent (spec §2), an unroll written by hand on
// tf.variable weights, with its backward pass through time written out as well.
import * as tf from '@tensorflow/tfjs'
import type { Rng } from '../../../shared/rng.ts'
import {
  SPREAD_CAP,
  SPREAD_FLOOR,
  makeVariables,
  type PolicyNet,
  type PolicyTensors,
  type PolicyWithVjp,
} from './policyNet.ts'

export const LSTM_UNITS = 35
export const LSTM_LAYERS = 3
const EMBED = 2
const H = LSTM_UNITS

/** Variable shapes in order: input embedding, 3 × (LSTM kernel over [input, h], bias), output embedding. */
export function lstmAgentShapes(): number[][] {
  const shapes: number[][] = [[2, EMBED], [EMBED]]
  for (let l = 0; l < LSTM_LAYERS; l++) shapes.push([(l === 0 ? EMBED : H) + H, 4 * H], [4 * H])
  shapes.push([H, 2], [2])
  return shapes
}

interface LayerCache {
  xh: tf.Tensor2D
  sig: tf.Tensor2D
  i: tf.Tensor2D
  f: tf.Tensor2D
  o: tf.Tensor2D
  g: tf.Tensor2D
  cPrev: tf.Tensor2D
  tc: tf.Tensor2D
  h: tf.Tensor2D
}

interface Unroll {
  policy: PolicyTensors
  /** Per step: the agent input x_t, and per layer what the backward pass needs. */
  inputs: tf.Tensor2D[]
  layers: LayerCache[][]
  /** Output embedding rows (m_t, s_t), [n, 2]. */
  heads: tf.Tensor2D
}

/**
 * The LSTM agent: x_1 = (0, 1), x_t = (μ'_{t−1}, σ_{t−1}); dense 2 (linear) → 3 stacked LSTMs × 35
 * (zero initial state) → dense 2 → (tanh, 0.05 + softplus capped at 1).
 */
export function createLstmAgent(
  steps: number,
  rng: Rng,
  values?: readonly Float32Array[],
): PolicyNet {
  const variables = makeVariables(lstmAgentShapes(), rng, values)
  const [inW, inB] = variables
  const kernels = Array.from({ length: LSTM_LAYERS }, (_, l) => variables[2 + 2 * l])
  const biases = Array.from({ length: LSTM_LAYERS }, (_, l) => variables[3 + 2 * l])
  const outW = variables[2 + 2 * LSTM_LAYERS]
  const outB = variables[3 + 2 * LSTM_LAYERS]

  const unroll = (keep: boolean): Unroll => {
    let x = tf.tensor2d([[0, 1]])
    const h: tf.Tensor2D[] = kernels.map(() => tf.zeros([1, H]))
    const c: tf.Tensor2D[] = kernels.map(() => tf.zeros([1, H]))
    const inputs: tf.Tensor2D[] = []
    const layers: LayerCache[][] = []
    const heads: tf.Tensor2D[] = []
    const outputs: tf.Tensor2D[] = []
    for (let t = 0; t < steps; t++) {
      inputs.push(x)
      let inp = tf.add(tf.matMul(x, inW), inB) as tf.Tensor2D
      const cache: LayerCache[] = []
      for (let l = 0; l < LSTM_LAYERS; l++) {
        const xh = tf.concat([inp, h[l]], 1)
        const z = tf.add(tf.matMul(xh, kernels[l]), biases[l]) as tf.Tensor2D
        const sig = tf.sigmoid(tf.slice(z, [0, 0], [1, 3 * H]))
        const g = tf.tanh(tf.slice(z, [0, 3 * H], [1, H]))
        const [i, f, o] = tf.split(sig, 3, 1) as tf.Tensor2D[]
        const cNext = tf.add(tf.mul(f, c[l]), tf.mul(i, g)) as tf.Tensor2D
        const tc = tf.tanh(cNext)
        const hNext = tf.mul(o, tc) as tf.Tensor2D
        if (keep) cache.push({ xh, sig, i, f, o, g, cPrev: c[l], tc, h: hNext })
        c[l] = cNext
        h[l] = hNext
        inp = hNext
      }
      layers.push(cache)
      const ms = tf.add(tf.matMul(inp, outW), outB) as tf.Tensor2D
      const [m, s] = tf.split(ms, 2, 1)
      x = tf.concat(
        [tf.tanh(m), tf.minimum(tf.add(tf.softplus(s), SPREAD_FLOOR), SPREAD_CAP)],
        1,
      ) as tf.Tensor2D
      heads.push(ms)
      outputs.push(x)
    }
    const out = tf.concat(outputs, 0)
    return {
      policy: {
        mean: tf.slice(out, [0, 0], [steps, 1]).reshape([steps]),
        spread: tf.slice(out, [0, 1], [steps, 1]).reshape([steps]),
      },
      inputs,
      layers,
      heads: tf.concat(heads, 0),
    }
  }

  // Backpropagation through time by hand: the weight gradients are summed over steps with one
  // matMul per weight instead of one per step, about 3× faster than tf's tape on this small graph.
  const backward = (u: Unroll, dMean: tf.Tensor1D, dSpread: tf.Tensor1D): tf.Tensor[] => {
    const { mean } = u.policy
    const s = tf.slice(u.heads, [0, 1], [steps, 1])
    const raw = tf.add(tf.softplus(s), SPREAD_FLOOR)
    const deriv = tf.concat(
      [
        tf.sub(1, tf.square(mean)).reshape([steps, 1]),
        tf.mul(tf.sigmoid(s), tf.cast(tf.lessEqual(raw, SPREAD_CAP), 'float32')),
      ],
      1,
    )
    const dPolicy = tf.stack([dMean, dSpread], 1)
    const dhNext: (tf.Tensor2D | null)[] = kernels.map(() => null)
    const dcNext: (tf.Tensor2D | null)[] = kernels.map(() => null)
    const dz: tf.Tensor2D[][] = kernels.map(() => [])
    const dHeads: tf.Tensor2D[] = []
    const dEmbed: tf.Tensor2D[] = []
    let dxNext: tf.Tensor2D | null = null
    for (let t = steps - 1; t >= 0; t--) {
      let dOut = tf.slice(dPolicy, [t, 0], [1, 2]) as tf.Tensor2D
      if (dxNext) dOut = tf.add(dOut, dxNext) as tf.Tensor2D
      const dms = tf.mul(dOut, tf.slice(deriv, [t, 0], [1, 2])) as tf.Tensor2D
      dHeads[t] = dms
      let dBelow: tf.Tensor2D = tf.matMul(dms, outW as tf.Tensor2D, false, true)
      for (let l = LSTM_LAYERS - 1; l >= 0; l--) {
        const L = u.layers[t][l]
        const dh = dhNext[l] ? (tf.add(dhNext[l]!, dBelow) as tf.Tensor2D) : dBelow
        const dO = tf.mul(dh, L.tc)
        let dc = tf.mul(tf.mul(dh, L.o), tf.sub(1, tf.square(L.tc)))
        if (dcNext[l]) dc = tf.add(dc, dcNext[l]!)
        dcNext[l] = tf.mul(dc, L.f)
        const dSig = tf.mul(
          tf.concat([tf.mul(dc, L.g), tf.mul(dc, L.cPrev), dO], 1),
          tf.mul(L.sig, tf.sub(1, L.sig)),
        )
        const dG = tf.mul(tf.mul(dc, L.i), tf.sub(1, tf.square(L.g)))
        const dzt = tf.concat([dSig, dG], 1) as tf.Tensor2D
        dz[l][t] = dzt
        const dxh = tf.matMul(dzt, kernels[l] as tf.Tensor2D, false, true)
        const width = l === 0 ? EMBED : H
        dBelow = tf.slice(dxh, [0, 0], [1, width]) as tf.Tensor2D
        dhNext[l] = tf.slice(dxh, [0, width], [1, H]) as tf.Tensor2D
      }
      dEmbed[t] = dBelow
      dxNext = t > 0 ? tf.matMul(dBelow, inW as tf.Tensor2D, false, true) : null
    }
    const weightGrad = (xs: tf.Tensor2D[], ds: tf.Tensor2D[]): [tf.Tensor, tf.Tensor] => {
      const D = tf.concat(ds, 0)
      return [tf.matMul(tf.concat(xs, 0), D, true, false), tf.sum(D, 0)]
    }
    const grads: tf.Tensor[] = weightGrad(u.inputs, dEmbed)
    for (let l = 0; l < LSTM_LAYERS; l++)
      grads.push(
        ...weightGrad(
          u.layers.map((c) => c[l].xh),
          dz[l],
        ),
      )
    grads.push(
      ...weightGrad(
        u.layers.map((c) => c[LSTM_LAYERS - 1].h),
        dHeads,
      ),
    )
    return grads
  }

  return {
    steps,
    variables,
    policy: () => tf.tidy(() => unroll(false).policy),
    policyWithVjp(): PolicyWithVjp {
      const u = unroll(true)
      return { ...u.policy, vjp: (dMean, dSpread) => backward(u, dMean, dSpread) }
    },
    dispose: () => tf.dispose(variables),
  }
}
