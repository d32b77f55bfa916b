import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { createRng } from '../../../shared/rng.ts'
import { createOneStepAgent } from './oneStepAgent.ts'
import { createLstmAgent, lstmAgentShapes } from './policyAgent.ts'
import { useCpuBackend } from './tfCpu.ts'

beforeAll(useCpuBackend)

function randomVector(n: number, seed: number): tf.Tensor1D {
  const rng = createRng(seed)
  return tf.tensor1d(Array.from({ length: n }, () => rng.normal()))
}

describe.each([
  ['lstm', createLstmAgent],
  ['one-step', createOneStepAgent],
] as const)('%s agent', (_name, create) => {
  it('starts near (μ′ 0, σ ≈ 0.74) with init uniform(±0.08), inside the spread bounds', () => {
    const agent = create(5, createRng(1))
    const { mean, spread } = agent.policy()
    for (const m of mean.arraySync()) expect(Math.abs(m)).toBeLessThan(0.2)
    for (const s of spread.arraySync()) {
      expect(s).toBeGreaterThan(0.6)
      expect(s).toBeLessThanOrEqual(1)
    }
    tf.dispose([mean, spread])
    agent.dispose()
  })

  it('computes the vector–Jacobian product that tf autodiff computes', () => {
    const agent = create(6, createRng(7))
    // larger weights than the init so that every nonlinearity is exercised away from zero
    tf.tidy(() => agent.variables.forEach((v, i) => v.assign(tf.mul(v, 1 + (i % 3)))))
    const dMean = randomVector(6, 3)
    const dSpread = randomVector(6, 4)
    const mine = tf.tidy(() => agent.policyWithVjp().vjp(dMean, dSpread))
    const { grads } = tf.variableGrads(() => {
      const p = agent.policy()
      return tf.add(tf.sum(tf.mul(p.mean, dMean)), tf.sum(tf.mul(p.spread, dSpread))) as tf.Scalar
    }, agent.variables as tf.Variable[])
    agent.variables.forEach((v, i) => {
      const want = grads[v.name].dataSync()
      const got = mine[i].dataSync()
      expect(got.length).toBe(want.length)
      const scale = Math.max(1e-3, ...Array.from(want, Math.abs))
      for (let k = 0; k < want.length; k++)
        expect(Math.abs(got[k] - want[k]) / scale).toBeLessThan(1e-4)
    })
    tf.dispose([...mine, ...Object.values(grads), dMean, dSpread])
    agent.dispose()
  })

  it('restores exactly from saved weights', () => {
    const a = create(4, createRng(11))
    const b = create(
      4,
      createRng(99),
      a.variables.map((v) => v.dataSync() as Float32Array),
    )
    expect(Array.from(b.policy().mean.dataSync())).toEqual(Array.from(a.policy().mean.dataSync()))
    a.dispose()
    b.dispose()
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

  it('costs a few ms per forward+backward for 6 steps', () => {
    const agent = create6()
    const d = tf.ones([6]) as tf.Tensor1D
    const time = (f: () => void): number => {
      f()
      const t0 = performance.now()
      for (let k = 0; k < 20; k++) f()
      return (performance.now() - t0) / 20
    }
    const manual = time(() => tf.tidy(() => void agent.policyWithVjp().vjp(d, d)[0].dataSync()))
    const auto = time(() =>
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => {
          const p = agent.policy()
          return tf.add(tf.sum(p.mean), tf.sum(p.spread)) as tf.Scalar
        }, agent.variables as tf.Variable[])
        return void Object.values(grads)[0].dataSync()
      }),
    )
    console.log(
      `lstm n=6 forward+backward: by hand ${manual.toFixed(2)} ms, tf tape ${auto.toFixed(2)} ms`,
    )
    d.dispose()
    agent.dispose()
  })
})

const create6 = () => createLstmAgent(6, createRng(5))
