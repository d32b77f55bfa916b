// Runs in the tuner worker: the paper's LSTM agent (spec §2), its unroll and its backward pass
// through time written out on flat Float64Arrays (one buffer per quantity, indexed by step and
// layer: allocating small arrays per step cost more than the arithmetic).
import { headToPolicy, type Policy, type PolicyNet, type PolicyWithVjp } from './policyNet.ts'

export const LSTM_UNITS = 35
export const LSTM_LAYERS = 3
const EMBED = 2
const H = LSTM_UNITS
const L = LSTM_LAYERS
/** Stride of one [input, h] row in the xh buffer (the widest input is a layer below's h). */
const XH = 2 * H

/** Weight shapes in order: input embedding, 3 × (LSTM kernel over [input, h] with gates i, f, o, g; bias), output embedding. */
export function lstmAgentShapes(): number[][] {
  const shapes: number[][] = [[2, EMBED], [EMBED]]
  for (let l = 0; l < L; l++) shapes.push([(l === 0 ? EMBED : H) + H, 4 * H], [4 * H])
  shapes.push([H, 2], [2])
  return shapes
}

interface Unroll {
  policy: Policy
  /** Per step: the agent input x_t (2). */
  x: Float64Array
  /** Per step and layer: [input, h_prev] (stride XH), gates i, f, o, g after their nonlinearity (4H), c, tanh(c), h (H each). */
  xh: Float64Array
  gates: Float64Array
  c: Float64Array
  tc: Float64Array
  h: Float64Array
  /** Per step: dμ'/dm and dσ/ds. */
  dHead: Float64Array
}

const sig = (x: number): number => 1 / (1 + Math.exp(-x))
const inputsOf = (l: number): number => (l === 0 ? EMBED : H)

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
  const kernels = Array.from({ length: L }, (_, l) => weights[2 + 2 * l])
  const biases = Array.from({ length: L }, (_, l) => weights[3 + 2 * l])
  const outW = weights[2 + 2 * L]
  const outB = weights[3 + 2 * L]

  const unroll = (): Unroll => {
    const u: Unroll = {
      policy: { mean: new Float64Array(steps), spread: new Float64Array(steps) },
      x: new Float64Array(steps * 2),
      xh: new Float64Array(steps * L * XH),
      gates: new Float64Array(steps * L * 4 * H),
      c: new Float64Array(steps * L * H),
      tc: new Float64Array(steps * L * H),
      h: new Float64Array(steps * L * H),
      dHead: new Float64Array(steps * 2),
    }
    const emb = new Float64Array(EMBED)
    u.x[1] = 1
    for (let t = 0; t < steps; t++) {
      const x0 = u.x[2 * t]
      const x1 = u.x[2 * t + 1]
      for (let j = 0; j < EMBED; j++) emb[j] = inB[j] + x0 * inW[j] + x1 * inW[EMBED + j]
      for (let l = 0; l < L; l++) {
        const n = inputsOf(l)
        const cell = t * L + l
        const xo = cell * XH
        // [input, h_prev]: the input is the embedding or the layer below's h at this step
        if (l === 0) for (let j = 0; j < EMBED; j++) u.xh[xo + j] = emb[j]
        else for (let j = 0; j < H; j++) u.xh[xo + j] = u.h[(cell - 1) * H + j]
        if (t > 0) for (let j = 0; j < H; j++) u.xh[xo + n + j] = u.h[(cell - L) * H + j]
        const go = cell * 4 * H
        const K = kernels[l]
        const b = biases[l]
        for (let c = 0; c < 4 * H; c++) u.gates[go + c] = b[c]
        for (let r = 0; r < n + H; r++) {
          const v = u.xh[xo + r]
          if (v === 0) continue
          const row = r * 4 * H
          for (let c = 0; c < 4 * H; c++) u.gates[go + c] += v * K[row + c]
        }
        for (let c = 0; c < 3 * H; c++) u.gates[go + c] = sig(u.gates[go + c])
        for (let c = 3 * H; c < 4 * H; c++) u.gates[go + c] = Math.tanh(u.gates[go + c])
        const co = cell * H
        for (let j = 0; j < H; j++) {
          const cPrev = t > 0 ? u.c[(cell - L) * H + j] : 0
          const cj = u.gates[go + H + j] * cPrev + u.gates[go + j] * u.gates[go + 3 * H + j]
          u.c[co + j] = cj
          u.tc[co + j] = Math.tanh(cj)
          u.h[co + j] = u.gates[go + 2 * H + j] * u.tc[co + j]
        }
      }
      const top = (t * L + L - 1) * H
      let m = outB[0]
      let s = outB[1]
      for (let j = 0; j < H; j++) {
        m += u.h[top + j] * outW[2 * j]
        s += u.h[top + j] * outW[2 * j + 1]
      }
      const head = headToPolicy(m, s, spreadCap)
      u.policy.mean[t] = head.mean
      u.policy.spread[t] = head.spread
      u.dHead[2 * t] = head.dMean
      u.dHead[2 * t + 1] = head.dSpread
      if (t + 1 < steps) {
        u.x[2 * t + 2] = head.mean
        u.x[2 * t + 3] = head.spread
      }
    }
    return u
  }

  const backward = (
    u: Unroll,
    dMean: ArrayLike<number>,
    dSpread: ArrayLike<number>,
  ): Float64Array[] => {
    const grads = weights.map((w) => new Float64Array(w.length))
    const [gInW, gInB] = grads
    const gOutW = grads[2 + 2 * L]
    const gOutB = grads[3 + 2 * L]
    const dhNext = new Float64Array(L * H)
    const dcNext = new Float64Array(L * H)
    const dz = new Float64Array(4 * H)
    const dxh = new Float64Array(XH)
    const dBelow = new Float64Array(H)
    let dx0 = 0
    let dx1 = 0
    for (let t = steps - 1; t >= 0; t--) {
      const dm = (dMean[t] + dx0) * u.dHead[2 * t]
      const ds = (dSpread[t] + dx1) * u.dHead[2 * t + 1]
      const top = (t * L + L - 1) * H
      for (let j = 0; j < H; j++) {
        gOutW[2 * j] += u.h[top + j] * dm
        gOutW[2 * j + 1] += u.h[top + j] * ds
        dBelow[j] = outW[2 * j] * dm + outW[2 * j + 1] * ds
      }
      gOutB[0] += dm
      gOutB[1] += ds
      for (let l = L - 1; l >= 0; l--) {
        const cell = t * L + l
        const go = cell * 4 * H
        const co = cell * H
        for (let j = 0; j < H; j++) {
          const dh = dBelow[j] + dhNext[l * H + j]
          const i = u.gates[go + j]
          const f = u.gates[go + H + j]
          const o = u.gates[go + 2 * H + j]
          const g = u.gates[go + 3 * H + j]
          const tc = u.tc[co + j]
          const cPrev = t > 0 ? u.c[(cell - L) * H + j] : 0
          const dc = dh * o * (1 - tc * tc) + dcNext[l * H + j]
          dz[j] = dc * g * i * (1 - i)
          dz[H + j] = dc * cPrev * f * (1 - f)
          dz[2 * H + j] = dh * tc * o * (1 - o)
          dz[3 * H + j] = dc * i * (1 - g * g)
          dcNext[l * H + j] = dc * f
        }
        const n = inputsOf(l)
        const K = kernels[l]
        const gK = grads[2 + 2 * l]
        const gB = grads[3 + 2 * l]
        const xo = cell * XH
        for (let c = 0; c < 4 * H; c++) gB[c] += dz[c]
        for (let r = 0; r < n + H; r++) {
          const v = u.xh[xo + r]
          const row = r * 4 * H
          let acc = 0
          for (let c = 0; c < 4 * H; c++) {
            acc += K[row + c] * dz[c]
            if (v !== 0) gK[row + c] += v * dz[c]
          }
          dxh[r] = acc
        }
        for (let j = 0; j < n; j++) dBelow[j] = dxh[j]
        for (let j = 0; j < H; j++) dhNext[l * H + j] = dxh[n + j]
      }
      // the embedding: dBelow holds d/d(emb) (2)
      const x0 = u.x[2 * t]
      const x1 = u.x[2 * t + 1]
      for (let j = 0; j < EMBED; j++) {
        gInW[j] += x0 * dBelow[j]
        gInW[EMBED + j] += x1 * dBelow[j]
        gInB[j] += dBelow[j]
      }
      dx0 = inW[0] * dBelow[0] + inW[1] * dBelow[1]
      dx1 = inW[EMBED] * dBelow[0] + inW[EMBED + 1] * dBelow[1]
    }
    return grads
  }

  return {
    steps,
    weights,
    policy: () => unroll().policy,
    policyWithVjp(): PolicyWithVjp {
      const u = unroll()
      return { ...u.policy, vjp: (dMean, dSpread) => backward(u, dMean, dSpread) }
    },
  }
}
