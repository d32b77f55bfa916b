// Runs in the tuner worker: the paper's RL-DOC ablation, a feed-forward agent that outputs all n
// Gaussians in one step (spec §7); same embeddings, depth and width as the LSTM agent.
import * as tf from '@tensorflow/tfjs'
import type { Rng } from '../../../shared/rng.ts'
import { LSTM_LAYERS, LSTM_UNITS } from './policyAgent.ts'
import { headsToPolicy, makeVariables, type PolicyNet, type PolicyTensors } from './policyNet.ts'

const EMBED = 2

export function oneStepAgentShapes(steps: number): number[][] {
  const shapes: number[][] = [[2, EMBED], [EMBED]]
  for (let l = 0; l < LSTM_LAYERS; l++)
    shapes.push([l === 0 ? EMBED : LSTM_UNITS, LSTM_UNITS], [LSTM_UNITS])
  shapes.push([LSTM_UNITS, 2 * steps], [2 * steps])
  return shapes
}

/** Input (0, 1) → dense 2 (linear) → 3 × dense 35 tanh → dense 2n → n × (tanh, 0.05 + softplus capped at 1). */
export function createOneStepAgent(
  steps: number,
  rng: Rng,
  values?: readonly Float32Array[],
): PolicyNet {
  const variables = makeVariables(oneStepAgentShapes(steps), rng, values)
  const forward = (w: readonly tf.Tensor[]): PolicyTensors => {
    let x: tf.Tensor = tf.add(tf.matMul(tf.tensor2d([[0, 1]]), w[0]), w[1])
    for (let l = 0; l < LSTM_LAYERS; l++)
      x = tf.tanh(tf.add(tf.matMul(x, w[2 + 2 * l]), w[3 + 2 * l]))
    const heads = tf.add(tf.matMul(x, w[2 + 2 * LSTM_LAYERS]), w[3 + 2 * LSTM_LAYERS])
    const ms = heads.reshape([steps, 2])
    return headsToPolicy(tf.slice(ms, [0, 0], [steps, 1]), tf.slice(ms, [0, 1], [steps, 1]))
  }
  return {
    steps,
    variables,
    policy: () => tf.tidy(() => forward(variables)),
    policyWithVjp() {
      const p = forward(variables)
      return {
        ...p,
        vjp: (dMean, dSpread) =>
          tf.grads((...w: tf.Tensor[]) => {
            const q = forward(w)
            return tf.add(tf.sum(tf.mul(q.mean, dMean)), tf.sum(tf.mul(q.spread, dSpread)))
          })(variables as tf.Tensor[]),
      }
    },
    dispose: () => tf.dispose(variables),
  }
}
