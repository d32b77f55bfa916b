// Runs in the tuner worker: the paper's LSTM agent (spec §2), its unroll and its backward pass
// through time written out on Float64Arrays.
import {
  addOuter,
  addVecMat,
  headToPolicy,
  matVec,
  type Policy,
  type PolicyNet,
  type PolicyWithVjp,
} from './policyNet.ts'

export const LSTM_UNITS = 35
export const LSTM_LAYERS = 3
const EMBED = 2
const H = LSTM_UNITS

/** Weight shapes in order: input embedding, 3 × (LSTM kernel over [input, h] with gates i, f, o, g; bias), output embedding. */
export function lstmAgentShapes(): number[][] {
  const shapes: number[][] = [[2, EMBED], [EMBED]]
  for (let l = 0; l < LSTM_LAYERS; l++) shapes.push([(l === 0 ? EMBED : H) + H, 4 * H], [4 * H])
  shapes.push([H, 2], [2])
  return shapes
}

interface StepCache {
  x: Float64Array
  /** Per layer: [input, h_prev], gates (i, f, o, g after their nonlinearity), c_prev, tanh(c), h. */
  xh: Float64Array[]
  gates: Float64Array[]
  cPrev: Float64Array[]
  tc: Float64Array[]
  h: Float64Array[]
  dMean: number
  dSpread: number
}

const sig = (x: number): number => 1 / (1 + Math.exp(-x))

/**
 * The LSTM agent: x_1 = (0, 1), x_t = (μ'_{t−1}, σ_{t−1}); dense 2 (linear) → 3 stacked LSTMs × 35
 * (zero initial state) → dense 2 → (tanh, 0.05 + softplus capped at `spreadCap`).
 */
export function createLstmAgent(
  steps: number,
  weights: Float64Array[],
  spreadCap: number,
): PolicyNet {
  const [inW, inB] = weights
  const kernels = Array.from({ length: LSTM_LAYERS }, (_, l) => weights[2 + 2 * l])
  const biases = Array.from({ length: LSTM_LAYERS }, (_, l) => weights[3 + 2 * l])
  const outW = weights[2 + 2 * LSTM_LAYERS]
  const outB = weights[3 + 2 * LSTM_LAYERS]
  const inputs = (l: number): number => (l === 0 ? EMBED : H)

  const unroll = (): { policy: Policy; caches: StepCache[] } => {
    const mean = new Float64Array(steps)
    const spread = new Float64Array(steps)
    const h = kernels.map(() => new Float64Array(H))
    const c = kernels.map(() => new Float64Array(H))
    const caches: StepCache[] = []
    let x = Float64Array.of(0, 1)
    for (let t = 0; t < steps; t++) {
      const cache: StepCache = {
        x,
        xh: [],
        gates: [],
        cPrev: [],
        tc: [],
        h: [],
        dMean: 0,
        dSpread: 0,
      }
      let inp = Float64Array.from(inB)
      addVecMat(inp, x, inW, 2, EMBED)
      for (let l = 0; l < LSTM_LAYERS; l++) {
        const n = inputs(l)
        const xh = new Float64Array(n + H)
        xh.set(inp)
        xh.set(h[l], n)
        const z = Float64Array.from(biases[l])
        addVecMat(z, xh, kernels[l], n + H, 4 * H)
        for (let j = 0; j < 3 * H; j++) z[j] = sig(z[j])
        for (let j = 3 * H; j < 4 * H; j++) z[j] = Math.tanh(z[j])
        const cNext = new Float64Array(H)
        const tc = new Float64Array(H)
        const hNext = new Float64Array(H)
        for (let j = 0; j < H; j++) {
          cNext[j] = z[H + j] * c[l][j] + z[j] * z[3 * H + j]
          tc[j] = Math.tanh(cNext[j])
          hNext[j] = z[2 * H + j] * tc[j]
        }
        cache.xh.push(xh)
        cache.gates.push(z)
        cache.cPrev.push(c[l])
        cache.tc.push(tc)
        cache.h.push(hNext)
        c[l] = cNext
        h[l] = hNext
        inp = hNext
      }
      const ms = Float64Array.from(outB)
      addVecMat(ms, inp, outW, H, 2)
      const head = headToPolicy(ms[0], ms[1], spreadCap)
      mean[t] = head.mean
      spread[t] = head.spread
      cache.dMean = head.dMean
      cache.dSpread = head.dSpread
      caches.push(cache)
      x = Float64Array.of(head.mean, head.spread)
    }
    return { policy: { mean, spread }, caches }
  }

  const backward = (
    caches: StepCache[],
    dMean: ArrayLike<number>,
    dSpread: ArrayLike<number>,
  ): Float64Array[] => {
    const grads = weights.map((w) => new Float64Array(w.length))
    const [gInW, gInB] = grads
    const gK = kernels.map((_, l) => grads[2 + 2 * l])
    const gB = kernels.map((_, l) => grads[3 + 2 * l])
    const gOutW = grads[2 + 2 * LSTM_LAYERS]
    const gOutB = grads[3 + 2 * LSTM_LAYERS]
    const dhNext = kernels.map(() => new Float64Array(H))
    const dcNext = kernels.map(() => new Float64Array(H))
    const dxNext = new Float64Array(2)
    const dz = new Float64Array(4 * H)
    let dBelow = new Float64Array(H)
    for (let t = steps - 1; t >= 0; t--) {
      const k = caches[t]
      const dms = Float64Array.of(
        (dMean[t] + dxNext[0]) * k.dMean,
        (dSpread[t] + dxNext[1]) * k.dSpread,
      )
      const top = k.h[LSTM_LAYERS - 1]
      addOuter(gOutW, top, dms, H, 2)
      gOutB[0] += dms[0]
      gOutB[1] += dms[1]
      dBelow = new Float64Array(H)
      matVec(dBelow, outW, dms, H, 2)
      for (let l = LSTM_LAYERS - 1; l >= 0; l--) {
        const g = k.gates[l]
        const tc = k.tc[l]
        const cPrev = k.cPrev[l]
        const dc = dcNext[l]
        for (let j = 0; j < H; j++) {
          const dh = dBelow[j] + dhNext[l][j]
          const i = g[j]
          const f = g[H + j]
          const o = g[2 * H + j]
          const gg = g[3 * H + j]
          const dcj = dh * o * (1 - tc[j] * tc[j]) + dc[j]
          dz[j] = dcj * gg * i * (1 - i)
          dz[H + j] = dcj * cPrev[j] * f * (1 - f)
          dz[2 * H + j] = dh * tc[j] * o * (1 - o)
          dz[3 * H + j] = dcj * i * (1 - gg * gg)
          dc[j] = dcj * f
        }
        const n = inputs(l)
        addOuter(gK[l], k.xh[l], dz, n + H, 4 * H)
        for (let j = 0; j < 4 * H; j++) gB[l][j] += dz[j]
        const dxh = new Float64Array(n + H)
        matVec(dxh, kernels[l], dz, n + H, 4 * H)
        dBelow = dxh.subarray(0, n)
        dhNext[l] = dxh.slice(n)
      }
      addOuter(gInW, k.x, dBelow, 2, EMBED)
      gInB[0] += dBelow[0]
      gInB[1] += dBelow[1]
      matVec(dxNext, inW, dBelow, 2, EMBED)
    }
    return grads
  }

  return {
    steps,
    weights,
    policy: () => unroll().policy,
    policyWithVjp(): PolicyWithVjp {
      const { policy, caches } = unroll()
      return { ...policy, vjp: (dMean, dSpread) => backward(caches, dMean, dSpread) }
    },
  }
}
