// Our `tpe` against the trials Optuna 3.1.1's TPESampler(seed) proposed for the same objective
// (test/fixtures/optuna31, written by generate.py there): same generator, same draws, same order.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseSearchSpace, type Config } from '../../../shared/searchSpace.ts'
import { syntheticFunction } from '../../../shared/syntheticFunctions.ts'
import { type FinishedTrial, completeTrial } from '../../../shared/trial.ts'
import { createTpeTuner } from './tpeTuner.ts'

interface Fixture {
  optuna: string
  runs: { space: string; seed: number; multivariate: boolean; trials: Config[] }[]
}
const fixture = JSON.parse(
  readFileSync(new URL('../../../../test/fixtures/optuna31/tpe.json', import.meta.url), 'utf8'),
) as Fixture

const CENTERS: Record<string, number[]> = {
  a: [1, -2, -1, 3],
  b: [0.5, 0, 0, 12],
  c: [0, 2.5, 0.5, 7],
  d: [2, 4, -2, 18],
}

const PROBLEMS: Record<string, { space: unknown; evaluate: (c: Config) => number }> = {
  branin: {
    space: {
      x1: { type: 'float', low: -5, high: 10 },
      x2: { type: 'float', low: 0, high: 15 },
    },
    evaluate: syntheticFunction('branin').evaluate,
  },
  numeric: {
    space: {
      lr: { type: 'float', low: 1e-5, high: 1e-1, log: true },
      depth: { type: 'int', low: 1, high: 12 },
      frac: { type: 'float', low: 0.1, high: 0.9, step: 0.05 },
      width: { type: 'int', low: 8, high: 512, log: true },
    },
    evaluate: (c) =>
      (Math.log10(Number(c.lr)) + 3) ** 2 +
      0.1 * (Number(c.depth) - 7) ** 2 +
      4 * (Number(c.frac) - 0.35) ** 2 +
      0.2 * (Math.log2(Number(c.width)) - 6) ** 2,
  },
  mixed: {
    space: {
      x: { type: 'float', low: -5, high: 5 },
      v: { type: 'float', low: 1e-3, high: 10, log: true },
      n: { type: 'int', low: 1, high: 20 },
      c: { type: 'categorical', choices: ['a', 'b', 'c', 'd'] },
    },
    evaluate: (c) => {
      const [off, xc, lvc, nc] = CENTERS[String(c.c)]
      const x = Number(c.x)
      return (
        off +
        0.25 * (x - xc) ** 2 +
        0.5 * (1 - Math.cos(2 * Math.PI * (x - xc))) +
        (Math.log10(Number(c.v)) - lvc) ** 2 +
        0.05 * (Number(c.n) - nc) ** 2
      )
    },
  },
}

describe('tpe reproduces Optuna 3.1.1’s TPESampler trial for trial', () => {
  it('the fixture comes from Optuna 3.1.1', () => {
    expect(fixture.optuna).toBe('3.1.1')
    expect(fixture.runs.length).toBeGreaterThanOrEqual(7)
  })

  for (const run of fixture.runs) {
    it(`${run.space}, seed ${run.seed}${run.multivariate ? ', multivariate' : ''}: ${run.trials.length} trials`, async () => {
      const problem = PROBLEMS[run.space]
      const parsed = parseSearchSpace(problem.space)
      if (!parsed.ok) throw new Error('bad space')
      const tuner = createTpeTuner({
        space: parsed.value,
        direction: 'minimize',
        seed: run.seed,
        options: { kind: 'tpe', multivariate: run.multivariate },
      })
      const finished: FinishedTrial[] = []
      for (const [number, expected] of run.trials.entries()) {
        const { params } = await tuner.ask({ finished, pending: [] })
        expect(Object.keys(params)).toEqual(Object.keys(expected))
        for (const [name, value] of Object.entries(expected)) {
          if (typeof value === 'number')
            expect(
              Math.abs(Number(params[name]) - value),
              `trial ${number}, ${name}: ${params[name]} vs Optuna's ${value}`,
            ).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(value)))
          else expect(params[name], `trial ${number}, ${name}`).toBe(value)
        }
        const loss = problem.evaluate(params)
        finished.push(completeTrial(number, params, loss))
      }
    })
  }
})
