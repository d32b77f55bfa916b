import { describe, expect, it } from 'vitest'
import { createRng } from '../../../shared/rng.ts'
import { fitSurrogate, predictSurrogate, surrogatePredictions } from './surrogateModel.ts'

const smooth = (u: readonly number[]): number =>
  Math.sin(2 * u[0]) + 0.5 * u[1] ** 2 - 0.3 * u[0] * u[2]

function sample(n: number, dims: number, seed: number) {
  const rng = createRng(seed)
  const x = Array.from({ length: n }, () => Array.from({ length: dims }, () => 2 * rng.next() - 1))
  return { x, y: x.map(smooth) }
}

describe('surrogate', () => {
  it('fits a smooth known function: high cross-validated R² and low error on new points', () => {
    const { x, y } = sample(80, 3, 1)
    const t0 = performance.now()
    const fit = fitSurrogate(x, y, 'mlp', createRng(2))
    const ms = performance.now() - t0
    const test = sample(200, 3, 3)
    const pred = predictSurrogate(fit.model, test.x)
    const mean = test.y.reduce((a, b) => a + b, 0) / test.y.length
    const r2 =
      1 -
      test.y.reduce((a, v, i) => a + (v - pred[i]) ** 2, 0) /
        test.y.reduce((a, v) => a + (v - mean) ** 2, 0)
    console.log(
      `80 points: cv R² ${fit.cvR2.toFixed(3)}, test R² ${r2.toFixed(3)}, hold-out RMSE ${fit.holdoutRmse?.toFixed(3)}, ${fit.epochs} epochs, ${ms.toFixed(0)} ms`,
    )
    expect(fit.cvR2).toBeGreaterThan(0.8)
    expect(r2).toBeGreaterThan(0.85)
    expect(fit.holdoutRmse).not.toBeNull()
  })

  it('reports R² < 0 when the scores are noise', () => {
    const rng = createRng(5)
    const x = Array.from({ length: 30 }, () => [2 * rng.next() - 1, 2 * rng.next() - 1])
    const y = x.map(() => rng.normal())
    expect(fitSurrogate(x, y, 'mlp', createRng(6)).cvR2).toBeLessThan(0.1)
  })

  it('an ensemble says how far its members disagree: more where there was no data', () => {
    const x = Array.from({ length: 30 }, (_, i) => [i / 30 - 0.5, 0])
    const y = x.map(([u]) => Math.sin(3 * u))
    const ensemble = fitSurrogate(x, y, 'ensemble', createRng(3))
    expect(ensemble.model.members).toHaveLength(5)
    const inside = [[0, 0]]
    const outside = [[1, 1]]
    const near = surrogatePredictions(ensemble.model, inside)
    const far = surrogatePredictions(ensemble.model, outside)
    expect(near.values).toEqual(predictSurrogate(ensemble.model, inside))
    expect(near.spread![0]).toBeGreaterThan(0)
    expect(far.spread![0]).toBeGreaterThan(near.spread![0])
    const one = fitSurrogate(x, y, 'mlp', createRng(3))
    expect(surrogatePredictions(one.model, inside).spread).toBeNull()
  })

  it('clips predictions to the observed range ± 5%', () => {
    const x = Array.from({ length: 10 }, (_, i) => [i / 5 - 1])
    const y = x.map(([u]) => 10 * u)
    const fit = fitSurrogate(x, y, 'mlp', createRng(1))
    const [far] = predictSurrogate(fit.model, [[40]])
    expect(far).toBeLessThanOrEqual(fit.model.high)
    expect(fit.model.high).toBeCloseTo(8 + 0.05 * 18, 10)
    expect(fit.model.low).toBeCloseTo(-10 - 0.05 * 18, 10)
  })

  it('fits an ensemble of 5 and is deterministic for a seed', () => {
    const { x, y } = sample(30, 2, 9)
    const a = fitSurrogate(x, y, 'ensemble', createRng(4))
    const b = fitSurrogate(x, y, 'ensemble', createRng(4))
    expect(a.model.members).toHaveLength(5)
    expect(a.cvR2).toBe(b.cvR2)
    expect(predictSurrogate(a.model, x.slice(0, 3))).toEqual(
      predictSurrogate(b.model, x.slice(0, 3)),
    )
  })
})
