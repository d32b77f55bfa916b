import { describe, expect, it } from 'vitest'
import { createRng } from '../../../shared/rng.ts'
import { createOneStepAgent, oneStepAgentShapes } from './oneStepAgent.ts'
import { createLstmAgent, lstmAgentShapes } from './policyAgent.ts'
import { uniformInit, type PolicyNet } from './policyNet.ts'

const lstm = (steps: number, seed: number, cap = 1): PolicyNet =>
  createLstmAgent(
    steps,
    lstmAgentShapes().map((s) => uniformInit(s, createRng(seed))),
    cap,
  )
const oneStep = (steps: number, seed: number, cap = 1): PolicyNet =>
  createOneStepAgent(
    steps,
    oneStepAgentShapes(steps).map((s) => uniformInit(s, createRng(seed))),
    cap,
  )

function randomVector(n: number, seed: number): number[] {
  const rng = createRng(seed)
  return Array.from({ length: n }, () => rng.normal())
}

describe.each([
  ['lstm', lstm],
  ['one-step', oneStep],
] as const)('%s agent', (_name, create) => {
  it('starts near (μ′ 0, σ ≈ 0.74) with init uniform(±0.08), inside the spread bounds', () => {
    const { mean, spread } = create(5, 1).policy()
    for (const m of mean) expect(Math.abs(m)).toBeLessThan(0.2)
    for (const s of spread) {
      expect(s).toBeGreaterThan(0.6)
      expect(s).toBeLessThanOrEqual(1)
    }
  })

  it('computes the gradient that finite differences give', () => {
    const steps = 6
    const agent = create(steps, 7, 2)
    // larger weights than the init so that every nonlinearity is exercised away from zero
    agent.weights.forEach((w, i) => w.forEach((v, k) => (w[k] = v * (2 + (i % 3)))))
    const dMean = randomVector(steps, 3)
    const dSpread = randomVector(steps, 4)
    const objective = () => {
      const p = agent.policy()
      return p.mean.reduce((a, m, t) => a + m * dMean[t] + p.spread[t] * dSpread[t], 0)
    }
    const grads = agent.policyWithVjp().vjp(dMean, dSpread)
    const rng = createRng(9)
    agent.weights.forEach((w, i) => {
      expect(grads[i].length).toBe(w.length)
      for (let probe = 0; probe < 6; probe++) {
        const k = rng.int(w.length)
        const keep = w[k]
        const eps = 1e-6
        w[k] = keep + eps
        const up = objective()
        w[k] = keep - eps
        const down = objective()
        w[k] = keep
        const numeric = (up - down) / (2 * eps)
        expect(Math.abs(grads[i][k] - numeric)).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)))
      }
    })
  })

  it('is a function of its weights only: a copy gives the same policy', () => {
    const a = create(4, 11)
    const b = create(4, 99)
    b.weights.forEach((w, i) => w.set(a.weights[i]))
    expect(Array.from(b.policy().mean)).toEqual(Array.from(a.policy().mean))
  })
})

describe('lstm agent', () => {
  it('has the paper shape: 2-unit embeddings around 3 × 35 LSTM units', () => {
    expect(lstmAgentShapes()).toEqual([
      [2, 2],
      [2],
      [37, 140],
      [140],
      [70, 140],
      [140],
      [70, 140],
      [140],
      [35, 2],
      [2],
    ])
  })

  it('caps σ and passes no gradient through a capped spread', () => {
    const agent = lstm(3, 2, 0.5)
    agent.weights[agent.weights.length - 1][1] = 5
    const p = agent.policyWithVjp()
    for (const s of p.spread) expect(s).toBe(0.5)
    const grads = p.vjp([0, 0, 0], [1, 1, 1])
    expect(grads.every((g) => g.every((v) => v === 0))).toBe(true)
  })
})
