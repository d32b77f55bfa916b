// The multi-objective problems of test/fixtures/optuna31/generate_mo.py, for the tests that hold
// nsga2 and tpe to the trials Optuna 3.1 proposed for them.
import { readFileSync } from 'node:fs'
import { parseSearchSpace, type Config, type SearchSpace } from '../../src/shared/searchSpace.ts'
import type { Direction } from '../../src/shared/study.ts'
import { completeTrial, type FinishedTrial } from '../../src/shared/trial.ts'
import type { Tuner, TunerInit } from '../../src/shared/tuner.ts'
import { toLosses } from '../../src/shared/objectivesSpec.ts'

export interface MoFixtureRun {
  sampler: 'nsga2' | 'motpe'
  problem: string
  seed: number
  options: Record<string, unknown>
  trials: Config[]
}

export const moFixture = JSON.parse(
  readFileSync(new URL('../fixtures/optuna31/multiobjective.json', import.meta.url), 'utf8'),
) as { optuna: string; runs: MoFixtureRun[] }

export interface MoProblem {
  space: SearchSpace
  directions: Direction[]
  evaluate(c: Config): { values: number[]; constraints?: number[] }
}

const space = (raw: unknown): SearchSpace => {
  const parsed = parseSearchSpace(raw)
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('; '))
  return parsed.value
}

const CENTERS: Record<string, number[]> = {
  a: [1, -2, -1, 3],
  b: [0.5, 0, 0, 12],
  c: [0, 2.5, 0.5, 7],
  d: [2, 4, -2, 18],
}
const n = (c: Config, k: string): number => Number(c[k])

export const MO_PROBLEMS: Record<string, MoProblem> = {
  circle: {
    space: space({
      x: { type: 'float', low: -5, high: 5 },
      y: { type: 'float', low: -5, high: 5 },
    }),
    directions: ['minimize'],
    evaluate(c) {
      const x = n(c, 'x')
      const y = n(c, 'y')
      return { values: [(x - 5) ** 2 + (y - 3) ** 2], constraints: [x ** 2 + y ** 2 - 9] }
    },
  },
  zdt1: {
    space: space(
      Object.fromEntries([0, 1, 2, 3, 4].map((i) => [`x${i}`, { type: 'float', low: 0, high: 1 }])),
    ),
    directions: ['minimize', 'minimize'],
    evaluate(c) {
      const x = [0, 1, 2, 3, 4].map((i) => n(c, `x${i}`))
      const g = 1 + (9 * (x[1] + x[2] + x[3] + x[4])) / 4
      return { values: [x[0], g * (1 - Math.sqrt(x[0] / g))] }
    },
  },
  mixed2: {
    space: space({
      x: { type: 'float', low: -5, high: 5 },
      v: { type: 'float', low: 1e-3, high: 10, log: true },
      n: { type: 'int', low: 1, high: 20 },
      c: { type: 'categorical', choices: ['a', 'b', 'c', 'd'] },
    }),
    directions: ['minimize', 'maximize'],
    evaluate(c) {
      const [off, xc, lvc, nc] = CENTERS[String(c.c)]
      const x = n(c, 'x')
      const lv = Math.log10(n(c, 'v'))
      const f1 = off + 0.25 * (x - xc) ** 2 + (lv - lvc) ** 2 + 0.05 * (n(c, 'n') - nc) ** 2
      const f2 = -((x + 1) ** 2) - (lv + 1) ** 2 - 0.05 * n(c, 'n')
      return { values: [f1, f2] }
    },
  },
  binh_korn: {
    space: space({ x: { type: 'float', low: 0, high: 5 }, y: { type: 'float', low: 0, high: 3 } }),
    directions: ['minimize', 'minimize'],
    evaluate(c) {
      const x = n(c, 'x')
      const y = n(c, 'y')
      return {
        values: [4 * x ** 2 + 4 * y ** 2, (x - 5) ** 2 + (y - 5) ** 2],
        constraints: [(x - 5) ** 2 + y ** 2 - 25, 7.7 - ((x - 8) ** 2 + (y + 3) ** 2)],
      }
    },
  },
  numeric3: {
    space: space({
      lr: { type: 'float', low: 1e-5, high: 1e-1, log: true },
      depth: { type: 'int', low: 1, high: 12 },
      frac: { type: 'float', low: 0.1, high: 0.9, step: 0.05 },
    }),
    directions: ['minimize', 'minimize', 'minimize'],
    evaluate(c) {
      const l = Math.log10(n(c, 'lr'))
      const d = n(c, 'depth')
      const f = n(c, 'frac')
      return {
        values: [
          (l + 3) ** 2 + 0.1 * (d - 7) ** 2,
          4 * (f - 0.35) ** 2 + 0.05 * d,
          (l + 2) ** 2 + (f - 0.8) ** 2,
        ],
      }
    },
  },
}

/** A complete trial as the runner tells it: losses per objective, violations as Optuna's c ≤ 0. */
export function moTrial(
  number: number,
  problem: MoProblem,
  params: Config,
  tunerData: unknown,
): FinishedTrial {
  const { values, constraints } = problem.evaluate(params)
  const losses = toLosses(problem.directions, values)
  return completeTrial(number, params, values[0], {
    loss: losses[0],
    ...(losses.length > 1 ? { losses } : {}),
    tunerData: (tunerData ?? null) as FinishedTrial['tunerData'],
    ...(constraints ? { violations: constraints.map((c) => Math.max(0, c)) } : {}),
  })
}

/** How many constraints a fixture problem has (evaluated at one of its configurations). */
const constraintCount = (problem: MoProblem, at: Config): number =>
  problem.evaluate(at).constraints?.length ?? 0

/** Asks `tuner` for each fixture trial in turn and compares; returns the first mismatch or null. */
async function replayAgainstOptuna(
  tuner: Tuner,
  problem: MoProblem,
  expected: readonly Config[],
): Promise<string | null> {
  const finished: FinishedTrial[] = []
  for (const [number, want] of expected.entries()) {
    const { params, tunerData } = await tuner.ask({ finished, pending: [] })
    for (const [name, value] of Object.entries(want)) {
      const got = params[name]
      const same =
        typeof value === 'number'
          ? Math.abs(Number(got) - value) <= 1e-9 * Math.max(1, Math.abs(value))
          : got === value
      if (!same) return `trial ${number}, ${name}: ${String(got)} vs Optuna's ${String(value)}`
    }
    finished.push(moTrial(number, problem, params, tunerData))
  }
  return null
}

/**
 * Creates a tuner for a fixture run (its problem's space, directions and constraints, the run's seed,
 * `options`) and replays the run against it: the first mismatch, or null.
 */
export function replayFixtureRun(
  run: MoFixtureRun,
  createTuner: (init: TunerInit) => Tuner,
  options: Record<string, unknown>,
): Promise<string | null> {
  const problem = MO_PROBLEMS[run.problem]
  const tuner = createTuner({
    space: problem.space,
    direction: problem.directions[0],
    directions: problem.directions,
    constraints: constraintCount(problem, run.trials[0]),
    seed: run.seed,
    options,
  })
  return replayAgainstOptuna(tuner, problem, run.trials)
}
