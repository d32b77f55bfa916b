// Runs in the tuner worker: Adam on plain arrays, its moments and step part of the tuner state.
const BETA1 = 0.9
const BETA2 = 0.999
const EPSILON = 1e-8

export interface AdamState {
  /** First and second moments, one array per weight array. */
  m: Float64Array[]
  v: Float64Array[]
  step: number
}

export function createAdam(weights: readonly Float64Array[]): AdamState {
  return {
    m: weights.map((w) => new Float64Array(w.length)),
    v: weights.map((w) => new Float64Array(w.length)),
    step: 0,
  }
}

export const cloneAdam = (a: AdamState): AdamState => ({
  m: a.m.map((x) => x.slice()),
  v: a.v.map((x) => x.slice()),
  step: a.step,
})

/** One Adam step with bias correction, in place; each gradient is scaled by `scale` first. */
export function adamStep(
  weights: readonly Float64Array[],
  grads: readonly Float64Array[],
  state: AdamState,
  learningRate: number,
  scale = 1,
): void {
  const step = state.step + 1
  const lrT = (learningRate * Math.sqrt(1 - BETA2 ** step)) / (1 - BETA1 ** step)
  weights.forEach((w, i) => {
    const g = grads[i]
    const m = state.m[i]
    const v = state.v[i]
    for (let k = 0; k < w.length; k++) {
      const gk = g[k] * scale
      m[k] = BETA1 * m[k] + (1 - BETA1) * gk
      v[k] = BETA2 * v[k] + (1 - BETA2) * gk * gk
      w[k] -= (lrT * m[k]) / (Math.sqrt(v[k]) + EPSILON)
    }
  })
  state.step = step
}
