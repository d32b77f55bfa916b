// Runs in the tuner worker: the paper's RL-DOC ablation, a feed-forward agent that outputs all n
// distributions in one step (spec §7); same embeddings, depth and width as the LSTM agent.
import { LSTM_LAYERS, LSTM_UNITS } from './policyAgent.ts'
import { addOuter, addVecMat, headToPolicy, matVec, type PolicyNet } from './policyNet.ts'

const EMBED = 2

export function oneStepAgentShapes(steps: number): number[][] {
  const shapes: number[][] = [[2, EMBED], [EMBED]]
  for (let l = 0; l < LSTM_LAYERS; l++)
    shapes.push([l === 0 ? EMBED : LSTM_UNITS, LSTM_UNITS], [LSTM_UNITS])
  shapes.push([LSTM_UNITS, 2 * steps], [2 * steps])
  return shapes
}

/** Input (0, 1) → dense 2 (linear) → 3 × dense 35 tanh → dense 2n → n × (tanh, 0.05 + softplus capped). */
export function createOneStepAgent(
  steps: number,
  weights: Float64Array[],
  spreadCap: number,
): PolicyNet {
  const shapes = oneStepAgentShapes(steps)
  const forward = () => {
    const acts: Float64Array[] = [Float64Array.of(0, 1)]
    for (let layer = 0; layer <= LSTM_LAYERS + 1; layer++) {
      const [rows, cols] = shapes[2 * layer]
      const out = Float64Array.from(weights[2 * layer + 1])
      addVecMat(out, acts[layer], weights[2 * layer], rows, cols)
      if (layer >= 1 && layer <= LSTM_LAYERS)
        for (let j = 0; j < cols; j++) out[j] = Math.tanh(out[j])
      acts.push(out)
    }
    const heads = acts[acts.length - 1]
    const mean = new Float64Array(steps)
    const spread = new Float64Array(steps)
    const dHead = new Float64Array(2 * steps)
    for (let t = 0; t < steps; t++) {
      const p = headToPolicy(heads[2 * t], heads[2 * t + 1], spreadCap)
      mean[t] = p.mean
      spread[t] = p.spread
      dHead[2 * t] = p.dMean
      dHead[2 * t + 1] = p.dSpread
    }
    return { mean, spread, acts, dHead }
  }
  return {
    steps,
    weights,
    policy() {
      const { mean, spread } = forward()
      return { mean, spread }
    },
    policyWithVjp() {
      const { mean, spread, acts, dHead } = forward()
      return {
        mean,
        spread,
        vjp(dMean, dSpread) {
          const grads = weights.map((w) => new Float64Array(w.length))
          let d = new Float64Array(2 * steps)
          for (let t = 0; t < steps; t++) {
            d[2 * t] = dMean[t] * dHead[2 * t]
            d[2 * t + 1] = dSpread[t] * dHead[2 * t + 1]
          }
          for (let layer = LSTM_LAYERS + 1; layer >= 0; layer--) {
            const [rows, cols] = shapes[2 * layer]
            if (layer >= 1 && layer <= LSTM_LAYERS) {
              const a = acts[layer + 1]
              for (let j = 0; j < cols; j++) d[j] *= 1 - a[j] * a[j]
            }
            addOuter(grads[2 * layer], acts[layer], d, rows, cols)
            for (let j = 0; j < cols; j++) grads[2 * layer + 1][j] += d[j]
            const below = new Float64Array(rows)
            matVec(below, weights[2 * layer], d, rows, cols)
            d = below
          }
          return grads
        },
      }
    },
  }
}
