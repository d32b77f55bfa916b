import { describe, expect, it } from 'vitest'
import { createRng } from '../../../shared/rng.ts'
import { createAdam } from './adam.ts'
import { actionLogProb, policyKl } from './gaussian.ts'
import { createLstmAgent, lstmAgentShapes } from './policyAgent.ts'
import { uniformInit } from './policyNet.ts'
import {
  guardedPpoUpdate,
  ppoLoss,
  ppoUpdate,
  weightsFinite,
  type PpoOptions,
} from './ppoUpdate.ts'
import { logProbs, policyValues } from './sampleEpisodes.ts'

const options: PpoOptions = {
  clipEpsilon: 0.2,
  epochs: 4,
  maxGradNorm: 0.5,
  learningRate: 0.007,
  maxUpdateKl: 0,
  distribution: 'clipped',
}
const agent = (steps: number, seed: number) =>
  createLstmAgent(
    steps,
    lstmAgentShapes().map((s) => uniformInit(s, createRng(seed))),
    1,
  )

/** Gradient of the clipped loss with respect to the policy mean for one step, log π_old chosen to set ρ. */
function meanGradient(ratio: number, advantage: number): number {
  const policy = { mean: Float64Array.of(0.2), spread: Float64Array.of(0.5) }
  const logpNow = actionLogProb('clipped', 0.6, 0.2, 0.5).logp
  const batch = { h: [[0.6]], logpOld: [[logpNow - Math.log(ratio)]], advantage: [advantage] }
  return ppoLoss(policy, batch, 0.2, 'clipped').dMean[0]
}

describe('PPO-clip', () => {
  it('has zero gradient when the ratio is already past the clip in the advantage’s direction', () => {
    expect(Math.abs(meanGradient(1.3, 1))).toBe(0)
    expect(Math.abs(meanGradient(0.7, -1))).toBe(0)
  })

  it('keeps the gradient inside the clip range and on the pessimistic side outside it', () => {
    expect(meanGradient(1, 1)).toBeLessThan(0)
    expect(meanGradient(1, -1)).toBeGreaterThan(0)
    expect(meanGradient(0.7, 1)).toBeLessThan(0)
    expect(meanGradient(1.3, -1)).toBeGreaterThan(0)
  })

  it('its gradient matches finite differences of its loss (truncated actions)', () => {
    const policy = { mean: Float64Array.of(0.2, -0.4), spread: Float64Array.of(0.5, 0.3) }
    const batch = {
      h: [
        [0.6, -0.1],
        [-0.5, -0.7],
      ],
      logpOld: [
        [-0.4, 0.1],
        [-0.9, 0.2],
      ],
      advantage: [1, -0.5],
    }
    const g = ppoLoss(policy, batch, 0.2, 'truncated')
    const eps = 1e-7
    const shifted = (t: number, d: number) => {
      const mean = policy.mean.slice()
      mean[t] += d
      return ppoLoss({ mean, spread: policy.spread }, batch, 0.2, 'truncated').loss
    }
    for (const t of [0, 1])
      expect(g.dMean[t]).toBeCloseTo((shifted(t, eps) - shifted(t, -eps)) / (2 * eps), 5)
  })

  it('moves the policy mean toward a rewarded action and away from a penalised one', () => {
    for (const [advantage, sign] of [
      [1, 1],
      [-1, -1],
    ]) {
      const net = agent(1, 3)
      const adam = createAdam(net.weights)
      const before = policyValues(net.policy())
      const h = [[before.mean[0] + 0.3]]
      const result = ppoUpdate(
        net,
        adam,
        { h, logpOld: logProbs(before, h, 'clipped'), advantage: [advantage] },
        options,
      )
      expect(result.finite).toBe(true)
      expect(Math.sign(net.policy().mean[0] - before.mean[0])).toBe(sign)
    }
  })

  it('scales back the step that takes one update past its KL trust region', () => {
    const net = agent(2, 6)
    const adam = createAdam(net.weights)
    const before = policyValues(net.policy())
    const h = [before.mean.map((m) => m + 0.5)]
    const limit = 1e-4
    const result = ppoUpdate(
      net,
      adam,
      { h, logpOld: logProbs(before, h, 'clipped'), advantage: [1] },
      { ...options, maxUpdateKl: limit },
    )
    expect(result.epochs).toBeLessThan(4)
    const kl = policyKl(before, net.policy(), 'mean')
    expect(kl).toBeLessThanOrEqual(limit)
    expect(kl).toBeGreaterThan(limit / 100)
  })

  it('restores the last good weights and Adam state when an update diverges', () => {
    const net = agent(2, 4)
    const adam = createAdam(net.weights)
    const before = policyValues(net.policy())
    const result = guardedPpoUpdate(
      net,
      adam,
      { h: [[0.1, 0.2]], logpOld: [[-1, -1]], advantage: [NaN] },
      options,
    )
    expect(result.restored).toBe(true)
    expect(weightsFinite(net)).toBe(true)
    expect(policyValues(net.policy())).toEqual(before)
    expect(adam.step).toBe(0)
  })
})
