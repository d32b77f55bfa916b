import { describe, expect, it } from 'vitest'
import { createRng } from '../../../shared/rng.ts'
import { parseSearchSpace } from '../../../shared/searchSpace.ts'
import { type FinishedTrial, completeTrial } from '../../../shared/trial.ts'
import { cmaShouldStop, createCmaState, sampleCma, updateCma } from './cmaes.ts'
import { createCmaesTuner } from './cmaesTuner.ts'
import { symmetricEigen } from '../../math/symmetricEigen.ts'

describe('CMA-ES', () => {
  it('converges on a convex quadratic (ill-conditioned ellipsoid in 4-D)', () => {
    const target = [0.3, 0.7, 0.55, 0.2]
    const f = (x: number[]) => x.reduce((a, v, i) => a + 10 ** i * (v - target[i]) ** 2, 0)
    const rng = createRng(1)
    let s = createCmaState([0.5, 0.5, 0.5, 0.5], 1 / 6)
    let best = Infinity
    for (let g = 0; g < 250; g++) {
      const sols = Array.from({ length: s.popsize }, () => {
        const x = sampleCma(s, rng)
        return { x, loss: f(x) }
      })
      best = Math.min(best, ...sols.map((q) => q.loss))
      s = updateCma(s, sols)
    }
    expect(best).toBeLessThan(1e-12)
    expect(s.mean.map((m, i) => Math.abs(m - target[i])).every((d) => d < 1e-5)).toBe(true)
  })

  it('the tuner drives a quadratic to its optimum through ask/tell, trial by trial', async () => {
    const parsed = parseSearchSpace({
      a: { type: 'float', low: -5, high: 5 },
      b: { type: 'float', low: -5, high: 5 },
      c: { type: 'float', low: 0.01, high: 100, log: true },
    })
    if (!parsed.ok) throw new Error('bad space')
    const tuner = createCmaesTuner({
      space: parsed.value,
      direction: 'minimize',
      seed: 2,
      options: { restartOnStagnation: false },
    })
    const f = (p: Record<string, unknown>) =>
      (Number(p.a) - 1) ** 2 + (Number(p.b) + 2) ** 2 + Math.log10(Number(p.c)) ** 2
    const finished: FinishedTrial[] = []
    for (let i = 0; i < 700; i++) {
      const proposal = await tuner.ask({ finished, pending: [] })
      const v = f(proposal.params)
      finished.push(completeTrial(i, proposal.params, v, { tunerData: proposal.tunerData }))
    }
    expect(Math.min(...finished.map((t) => t.loss as number))).toBeLessThan(1e-10)
  })

  it('stops on a flat function, and the tuner restarts with a doubled population (IPOP)', async () => {
    const parsed = parseSearchSpace({
      x: { type: 'int', low: 0, high: 3 },
      y: { type: 'int', low: 0, high: 3 },
    })
    if (!parsed.ok) throw new Error('bad space')
    const tuner = createCmaesTuner({
      space: parsed.value,
      direction: 'minimize',
      seed: 4,
      options: {},
    })
    const finished: FinishedTrial[] = []
    const seen = new Set<string>()
    for (let i = 0; i < 60; i++) {
      const proposal = await tuner.ask({ finished, pending: [] })
      const data = proposal.tunerData as { cmaes: { restart: number } }
      seen.add(String(data.cmaes.restart))
      finished.push(completeTrial(i, proposal.params, 1, { tunerData: proposal.tunerData }))
    }
    expect(seen.size).toBeGreaterThan(1)
    const state = JSON.parse(new TextDecoder().decode(tuner.saveState()))
    expect(state.restarts).toBeGreaterThan(0)
    expect(state.cma.popsize).toBe(6 * 2 ** state.restarts)
  })

  it('does not stop a healthy search', () => {
    const s = createCmaState([0.5, 0.5], 0.2)
    expect(cmaShouldStop(s)).toBe(false)
  })

  it('eigen-decomposes symmetric matrices exactly enough', () => {
    const A = [
      [4, 1, 0.5],
      [1, 3, 0.2],
      [0.5, 0.2, 1],
    ]
    const { values, vectors } = symmetricEigen(A)
    for (let k = 0; k < 3; k++) {
      const v = vectors.map((row) => row[k])
      const Av = A.map((row) => row.reduce((acc, a, j) => acc + a * v[j], 0))
      Av.forEach((x, i) => expect(x).toBeCloseTo(values[k] * v[i], 12))
    }
    expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(8, 12)
  })
})
