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

/** The agent's weights by role (views of the same arrays, in lstmAgentShapes() order). */
interface LstmWeights {
  all: Float64Array[]
  inW: Float64Array
  inB: Float64Array
  kernels: Float64Array[]
  biases: Float64Array[]
  outW: Float64Array
  outB: Float64Array
}

function lstmWeights(weights: Float64Array[]): LstmWeights {
  return {
    all: weights,
    inW: weights[0],
    inB: weights[1],
    kernels: Array.from({ length: L }, (_, l) => weights[2 + 2 * l]),
    biases: Array.from({ length: L }, (_, l) => weights[3 + 2 * l]),
    outW: weights[2 + 2 * L],
    outB: weights[3 + 2 * L],
  }
}

/** One LSTM cell (step t, layer l) forward: fills u's xh, gates, c, tc and h for it. */
function cellForward(w: LstmWeights, u: Unroll, emb: Float64Array, t: number, l: number): void {
  const n = inputsOf(l)
  const cell = t * L + l
  const xo = cell * XH
  // [input, h_prev]: the input is the embedding or the layer below's h at this step
  if (l === 0) for (let j = 0; j < EMBED; j++) u.xh[xo + j] = emb[j]
  else for (let j = 0; j < H; j++) u.xh[xo + j] = u.h[(cell - 1) * H + j]
  if (t > 0) for (let j = 0; j < H; j++) u.xh[xo + n + j] = u.h[(cell - L) * H + j]
  const go = cell * 4 * H
  const K = w.kernels[l]
  const b = w.biases[l]
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

/** The output head at step t: the policy's μ'_t, σ_t, their derivatives and the next step's input. */
function headForward(w: LstmWeights, u: Unroll, t: number, spreadCap: number): void {
  const top = (t * L + L - 1) * H
  let m = w.outB[0]
  let s = w.outB[1]
  for (let j = 0; j < H; j++) {
    m += u.h[top + j] * w.outW[2 * j]
    s += u.h[top + j] * w.outW[2 * j + 1]
  }
  const head = headToPolicy(m, s, spreadCap)
  u.policy.mean[t] = head.mean
  u.policy.spread[t] = head.spread
  u.dHead[2 * t] = head.dMean
  u.dHead[2 * t + 1] = head.dSpread
  if (t + 1 < u.policy.mean.length) {
    u.x[2 * t + 2] = head.mean
    u.x[2 * t + 3] = head.spread
  }
}

function unroll(w: LstmWeights, steps: number, spreadCap: number): Unroll {
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
    for (let j = 0; j < EMBED; j++) emb[j] = w.inB[j] + x0 * w.inW[j] + x1 * w.inW[EMBED + j]
    for (let l = 0; l < L; l++) cellForward(w, u, emb, t, l)
    headForward(w, u, t, spreadCap)
  }
  return u
}

/** The backward pass's gradients and the adjoints it carries between steps and layers. */
interface Backward {
  grads: Float64Array[]
  /** Per layer: d/dh and d/dc flowing back from step t + 1. */
  dhNext: Float64Array
  dcNext: Float64Array
  /** d/d(gate pre-activations) of the current cell. */
  dz: Float64Array
  /** d/d[input, h_prev] of the current cell. */
  dxh: Float64Array
  /** d/d(the current layer's output h) from above, then d/d(its input) once the layer is done. */
  dBelow: Float64Array
  /** d/d(x_{t+1}): what step t's outputs feed forward as the next input. */
  dx0: number
  dx1: number
}

/** The output head at step t backward: accumulates its gradients, sets dBelow to d/d(top h). */
function headBackward(
  w: LstmWeights,
  u: Unroll,
  b: Backward,
  t: number,
  dMean: number,
  dSpread: number,
): void {
  const gOutW = b.grads[2 + 2 * L]
  const gOutB = b.grads[3 + 2 * L]
  const dm = (dMean + b.dx0) * u.dHead[2 * t]
  const ds = (dSpread + b.dx1) * u.dHead[2 * t + 1]
  const top = (t * L + L - 1) * H
  for (let j = 0; j < H; j++) {
    gOutW[2 * j] += u.h[top + j] * dm
    gOutW[2 * j + 1] += u.h[top + j] * ds
    b.dBelow[j] = w.outW[2 * j] * dm + w.outW[2 * j + 1] * ds
  }
  gOutB[0] += dm
  gOutB[1] += ds
}

/** One LSTM cell backward: accumulates its kernel and bias gradients, passes d/d(input) down in dBelow. */
function cellBackward(w: LstmWeights, u: Unroll, b: Backward, t: number, l: number): void {
  const { dz, dxh, dBelow, dhNext, dcNext } = b
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
  const K = w.kernels[l]
  const gK = b.grads[2 + 2 * l]
  const gB = b.grads[3 + 2 * l]
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

/** The input embedding at step t backward (dBelow holds d/d(emb)): its gradients and d/d(x_t). */
function embeddingBackward(w: LstmWeights, u: Unroll, b: Backward, t: number): void {
  const [gInW, gInB] = b.grads
  const { inW } = w
  const { dBelow } = b
  const x0 = u.x[2 * t]
  const x1 = u.x[2 * t + 1]
  for (let j = 0; j < EMBED; j++) {
    gInW[j] += x0 * dBelow[j]
    gInW[EMBED + j] += x1 * dBelow[j]
    gInB[j] += dBelow[j]
  }
  b.dx0 = inW[0] * dBelow[0] + inW[1] * dBelow[1]
  b.dx1 = inW[EMBED] * dBelow[0] + inW[EMBED + 1] * dBelow[1]
}

/** Backpropagation through time: the weights' gradients of Σ dMean·μ' + dSpread·σ. */
function backward(
  w: LstmWeights,
  u: Unroll,
  dMean: ArrayLike<number>,
  dSpread: ArrayLike<number>,
): Float64Array[] {
  const b: Backward = {
    grads: w.all.map((x) => new Float64Array(x.length)),
    dhNext: new Float64Array(L * H),
    dcNext: new Float64Array(L * H),
    dz: new Float64Array(4 * H),
    dxh: new Float64Array(XH),
    dBelow: new Float64Array(H),
    dx0: 0,
    dx1: 0,
  }
  for (let t = u.policy.mean.length - 1; t >= 0; t--) {
    headBackward(w, u, b, t, dMean[t], dSpread[t])
    for (let l = L - 1; l >= 0; l--) cellBackward(w, u, b, t, l)
    embeddingBackward(w, u, b, t)
  }
  return b.grads
}

/**
 * The LSTM agent: x_1 = (0, 1), x_t = (μ'_{t−1}, σ_{t−1}); dense 2 (linear) → 3 stacked LSTMs × 35
 * (zero initial state) → dense 2 → (tanh, 0.05 + softplus capped at `spreadCap`).
 */
export function createLstmAgent(
  steps: number,
  weights: Float64Array[],
  spreadCap: number,
): PolicyNet {
  const w = lstmWeights(weights)
  return {
    steps,
    weights,
    policy: () => unroll(w, steps, spreadCap).policy,
    policyWithVjp(): PolicyWithVjp {
      const u = unroll(w, steps, spreadCap)
      return { ...u.policy, vjp: (dMean, dSpread) => backward(w, u, dMean, dSpread) }
    },
  }
}
