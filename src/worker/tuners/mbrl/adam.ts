// Runs in the tuner worker: Adam written out on tfjs ops so its moments and step can be saved
// synchronously with the tuner state (tf.train.adam only exposes them through an async getWeights).
import * as tf from '@tensorflow/tfjs'

const BETA1 = 0.9
const BETA2 = 0.999
const EPSILON = 1e-8

export interface AdamState {
  /** First and second moments, one per variable, kept out of any tidy scope. */
  m: tf.Tensor[]
  v: tf.Tensor[]
  step: number
}

export function createAdam(variables: readonly tf.Variable[]): AdamState {
  return {
    m: variables.map((w) => tf.keep(tf.zerosLike(w))),
    v: variables.map((w) => tf.keep(tf.zerosLike(w))),
    step: 0,
  }
}

/** One Adam step with bias correction: assigns the variables and replaces the moments in `state`. */
export function adamStep(
  variables: readonly tf.Variable[],
  grads: readonly tf.Tensor[],
  state: AdamState,
  learningRate: number,
): void {
  const step = state.step + 1
  const lrT = (learningRate * Math.sqrt(1 - BETA2 ** step)) / (1 - BETA1 ** step)
  const next = tf.tidy(() =>
    variables.map((w, i) => {
      const g = grads[i]
      const m = tf.add(tf.mul(BETA1, state.m[i]), tf.mul(1 - BETA1, g))
      const v = tf.add(tf.mul(BETA2, state.v[i]), tf.mul(1 - BETA2, tf.square(g)))
      w.assign(tf.sub(w, tf.div(tf.mul(lrT, m), tf.add(tf.sqrt(v), EPSILON))))
      return [m, v]
    }),
  )
  tf.dispose([...state.m, ...state.v])
  // keep: the caller may run this inside its own tidy scope
  state.m = next.map(([m]) => tf.keep(m))
  state.v = next.map(([, v]) => tf.keep(v))
  state.step = step
}

export function disposeAdam(state: AdamState): void {
  tf.dispose([...state.m, ...state.v])
  state.m = []
  state.v = []
}
