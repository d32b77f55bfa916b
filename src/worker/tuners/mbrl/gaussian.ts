// Runs in the tuner worker: the diagonal Gaussian policy's log-density and closed-form KL, on tfjs tensors.
import * as tf from '@tensorflow/tfjs'

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI)

/** log N(h; mean, spread), elementwise (shapes broadcast). */
export function gaussianLogProb(h: tf.Tensor, mean: tf.Tensor, spread: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const z = tf.div(tf.sub(h, mean), spread)
    return tf.sub(tf.neg(tf.add(tf.mul(0.5, tf.square(z)), tf.log(spread))), HALF_LOG_2PI)
  })
}

/** KL(P ‖ Q) per step for P = N(pMean, pSpread), Q = N(qMean, qSpread), elementwise. */
export function gaussianKl(
  pMean: tf.Tensor,
  pSpread: tf.Tensor,
  qMean: tf.Tensor,
  qSpread: tf.Tensor,
): tf.Tensor {
  return tf.tidy(() => {
    const num = tf.add(tf.square(pSpread), tf.square(tf.sub(pMean, qMean)))
    const quad = tf.div(num, tf.mul(2, tf.square(qSpread)))
    return tf.sub(tf.add(tf.log(tf.div(qSpread, pSpread)), quad), 0.5)
  })
}

export type KlReduction = 'mean' | 'sum'

/** KL(P ‖ Q) of two policies (n independent Gaussians), reduced over the steps as the study asks. */
export function policyKl(
  p: { mean: readonly number[]; spread: readonly number[] },
  q: { mean: readonly number[]; spread: readonly number[] },
  reduction: KlReduction,
): number {
  return tf.tidy(() => {
    const perStep = gaussianKl(
      tf.tensor1d(p.mean as number[]),
      tf.tensor1d(p.spread as number[]),
      tf.tensor1d(q.mean as number[]),
      tf.tensor1d(q.spread as number[]),
    )
    return (reduction === 'sum' ? tf.sum(perStep) : tf.mean(perStep)).dataSync()[0]
  })
}
