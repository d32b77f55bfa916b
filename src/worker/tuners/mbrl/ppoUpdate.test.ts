import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { createRng } from '../../../shared/rng.ts'
import { createAdam, disposeAdam } from './adam.ts'
import { gaussianLogProb, policyKl } from './gaussian.ts'
import { createLstmAgent } from './policyAgent.ts'
import { guardedPpoUpdate, ppoLoss, ppoUpdate, weightsFinite } from './ppoUpdate.ts'
import { readPolicy } from './sampleEpisodes.ts'
import { useCpuBackend } from './tfCpu.ts'

beforeAll(useCpuBackend)

const options = {
  clipEpsilon: 0.2,
  epochs: 4,
  maxGradNorm: 0.5,
  learningRate: 0.007,
  maxUpdateKl: 0,
}

/** Gradient of the clipped loss with respect to the policy mean for one step, with log π_old chosen to set ρ. */
function meanGradient(ratio: number, advantage: number): number {
  return tf.tidy(() => {
    const mean = tf.tensor1d([0.2])
    const spread = tf.tensor1d([0.5])
    const h = tf.tensor2d([[0.6]])
    const logpNow = gaussianLogProb(h, mean, spread) as tf.Tensor2D
    const logpOld = tf.sub(logpNow, Math.log(ratio)) as tf.Tensor2D
    const adv = tf.tensor2d([[advantage]])
    const g = tf.grad((m: tf.Tensor) => ppoLoss(m as tf.Tensor1D, spread, h, logpOld, adv, 0.2))(
      mean,
    )
    return g.dataSync()[0]
  })
}

describe('PPO-clip', () => {
  it('has zero gradient when the ratio is already past the clip in the advantage’s direction', () => {
    expect(Math.abs(meanGradient(1.3, 1))).toBe(0)
    expect(Math.abs(meanGradient(0.7, -1))).toBe(0)
  })

  it('keeps the gradient inside the clip range and on the pessimistic side outside it', () => {
    // inside [0.8, 1.2]: the loss pulls the mean toward h for A > 0 (negative gradient) and away for A < 0
    expect(meanGradient(1, 1)).toBeLessThan(0)
    expect(meanGradient(1, -1)).toBeGreaterThan(0)
    // outside but on the side where min() picks the unclipped term: the gradient stays
    expect(meanGradient(0.7, 1)).toBeLessThan(0)
    expect(meanGradient(1.3, -1)).toBeGreaterThan(0)
  })

  it('moves the policy mean toward a rewarded action and away from a penalised one', () => {
    for (const [advantage, sign] of [
      [1, 1],
      [-1, -1],
    ]) {
      const net = createLstmAgent(1, createRng(3))
      const adam = createAdam(net.variables)
      const before = readPolicy(net)
      const h = [[before.mean[0] + 0.3]]
      const logp = tf.tidy(() =>
        gaussianLogProb(
          tf.tensor2d(h),
          tf.tensor1d(before.mean),
          tf.tensor1d(before.spread),
        ).arraySync(),
      ) as number[][]
      const result = ppoUpdate(net, adam, { h, logpOld: logp, advantage: [advantage] }, options)
      expect(result.finite).toBe(true)
      const after = readPolicy(net)
      expect(Math.sign(after.mean[0] - before.mean[0])).toBe(sign)
      disposeAdam(adam)
      net.dispose()
    }
  })

  it('scales back the step that takes one update past its KL trust region', () => {
    const net = createLstmAgent(2, createRng(6))
    const adam = createAdam(net.variables)
    const before = readPolicy(net)
    const h = [before.mean.map((m) => m + 0.5)]
    const logp = tf.tidy(() =>
      gaussianLogProb(
        tf.tensor2d(h),
        tf.tensor1d(before.mean),
        tf.tensor1d(before.spread),
      ).arraySync(),
    ) as number[][]
    const limit = 1e-4
    const result = ppoUpdate(
      net,
      adam,
      { h, logpOld: logp, advantage: [1] },
      { ...options, maxUpdateKl: limit },
    )
    expect(result.epochs).toBeLessThan(4)
    const kl = policyKl(before, readPolicy(net), 'mean')
    expect(kl).toBeLessThanOrEqual(limit)
    // moved to the edge of the region, not left where it was
    expect(kl).toBeGreaterThan(limit / 100)
    disposeAdam(adam)
    net.dispose()
  })

  it('restores the last good weights and Adam state when an update diverges', () => {
    const net = createLstmAgent(2, createRng(4))
    const adam = createAdam(net.variables)
    const before = readPolicy(net)
    const result = guardedPpoUpdate(
      net,
      adam,
      { h: [[0.1, 0.2]], logpOld: [[-1, -1]], advantage: [NaN] },
      options,
    )
    expect(result.restored).toBe(true)
    expect(weightsFinite(net)).toBe(true)
    expect(readPolicy(net)).toEqual(before)
    expect(adam.step).toBe(0)
    disposeAdam(adam)
    net.dispose()
  })

  it('leaks no tensors', () => {
    const net = createLstmAgent(3, createRng(5))
    const adam = createAdam(net.variables)
    const batch = { h: [[0.1, 0.2, -0.3]], logpOld: [[-1, -1, -1]], advantage: [1] }
    guardedPpoUpdate(net, adam, batch, options)
    const count = tf.memory().numTensors
    for (let i = 0; i < 5; i++) guardedPpoUpdate(net, adam, batch, options)
    guardedPpoUpdate(net, adam, { ...batch, advantage: [NaN] }, options)
    for (let i = 0; i < 3; i++)
      guardedPpoUpdate(net, adam, batch, { ...options, maxUpdateKl: 1e-4 })
    expect(tf.memory().numTensors).toBe(count)
    disposeAdam(adam)
    net.dispose()
  })
})
