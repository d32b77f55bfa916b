import { describe, expect, it } from 'vitest'
import { hypervolume } from './hypervolume.ts'
import { multiObjectiveFunction, MULTI_OBJECTIVE_FUNCTIONS } from './multiObjectiveFunctions.ts'
import { violations } from './objectivesSpec.ts'
import { paretoFront } from './pareto.ts'
import { createRng } from './rng.ts'
import { sampleConfig } from './spaceCodec.ts'

describe('multi-objective test functions', () => {
  it('ZDT1: points with x1… = 0 lie on f2 = 1 − √f1; its front’s hypervolume is 11 − 1/3 + 1.1', () => {
    const fn = multiObjectiveFunction('zdt1')
    const at = (x0: number) =>
      fn.evaluate(Object.fromEntries(fn.params.map((p, i) => [p.name, i === 0 ? x0 : 0])))
    expect(at(0.25).values).toEqual([0.25, 0.5])
    expect(fn.optimalHypervolume()).toBeCloseTo(11 - 1 / 3 + 1.1, 3)
  })

  it('DTLZ2: with x3… = 0.5 the objectives lie on the unit sphere', () => {
    const fn = multiObjectiveFunction('dtlz2')
    const c = Object.fromEntries(fn.params.map((p, i) => [p.name, i < 2 ? 0.3 * (i + 1) : 0.5]))
    const f = fn.evaluate(c).values
    expect(f[0] ** 2 + f[1] ** 2 + f[2] ** 2).toBeCloseTo(1, 12)
  })

  it('Binh–Korn: random feasible points never beat the front’s hypervolume', () => {
    const fn = multiObjectiveFunction('binh_korn')
    const rng = createRng(1)
    const pts: number[][] = []
    for (let i = 0; i < 2000; i++) {
      const e = fn.evaluate(sampleConfig({ params: fn.params }, rng))
      if (violations(fn.constraints, e.constraints).every((v) => v === 0)) pts.push(e.values)
    }
    expect(pts.length).toBeGreaterThan(1500)
    const hv = hypervolume(pts, fn.reference)
    expect(hv).toBeLessThan(fn.optimalHypervolume())
    expect(hv).toBeGreaterThan(0.95 * fn.optimalHypervolume())
  })

  it('random points stay below the optimal hypervolume (and inside the box, but for DTLZ2’s usual 1.1³)', () => {
    const rng = createRng(2)
    for (const name of MULTI_OBJECTIVE_FUNCTIONS) {
      const fn = multiObjectiveFunction(name)
      const pts = Array.from(
        { length: 200 },
        () => fn.evaluate(sampleConfig({ params: fn.params }, rng)).values,
      )
      if (name !== 'dtlz2')
        for (const p of pts) p.forEach((v, k) => expect(v).toBeLessThan(fn.reference[k]))
      const front = paretoFront(pts).map((i) => pts[i])
      expect(hypervolume(front, fn.reference)).toBeLessThan(fn.optimalHypervolume())
    }
  })
})
