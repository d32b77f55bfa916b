// The multi-objective race's problems, defined as bench/optuna_race_mo.py defines them: the
// synthetic functions of src/shared/multiObjectiveFunctions.ts, and tabular tables with a second
// objective derived from the configuration (hidden-layer parameters; NAS-Bench-201: 9 per 3×3
// convolution, 1 per 1×1). The tables are development data in ../shared/benchmarks/tabular; without
// that folder the race runs the synthetic problems only.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { hypervolume } from '../src/shared/hypervolume.ts'
import {
  MULTI_OBJECTIVE_FUNCTIONS,
  multiObjectiveFunction,
} from '../src/shared/multiObjectiveFunctions.ts'
import { violations, type ConstraintDef, type ObjectiveDef } from '../src/shared/objectivesSpec.ts'
import type { Config, ParamSpec } from '../src/shared/searchSpace.ts'
import { median } from './benchUtil.ts'

export interface RaceMoProblem {
  name: string
  params: ParamSpec[]
  objectives: ObjectiveDef[]
  constraints: ConstraintDef[]
  /** Objective values in the objectives' order, and constraint values by name. */
  evaluate(c: Readonly<Config>): { values: number[]; constraints: Record<string, number> }
  /** Loss-space reference point (maximized objectives negated). */
  reference: number[]
  optimalHypervolume(): number
}

export const TABLES_DIR = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'shared',
  'benchmarks',
  'tabular',
)

export const TABULAR_PROBLEMS: Record<string, string> = {
  'tab-australian': 'hpobench-australian',
  'tab-naval': 'hpolib-naval_propulsion',
  'tab-nasbench': 'nasbench201-cifar10',
}

interface Table {
  family: string
  direction: 'minimize' | 'maximize'
  order: string[]
  space: Record<string, (string | number)[]>
  table: Record<string, number>
}

function tabularCost(family: string, c: Record<string, string | number>): number {
  if (family === 'hpobench') {
    const w = Number(c.width)
    const depth = Number(c.depth)
    return (depth - 1) * w * w + depth * w
  }
  if (family === 'hpolib') {
    const [a, b] = [Number(c.n_units_1), Number(c.n_units_2)]
    return a * b + a + b
  }
  return Object.values(c).reduce<number>(
    (s, op) => s + (op === 'nor_conv_3x3' ? 9 : op === 'nor_conv_1x1' ? 1 : 0),
    0,
  )
}

function tabularProblem(name: string, file: string): RaceMoProblem {
  const t = JSON.parse(
    gunzipSync(readFileSync(path.join(TABLES_DIR, `${file}.json.gz`))).toString('utf8'),
  ) as Table
  const sign = t.direction === 'maximize' ? -1 : 1
  const configOf = (idx: number[]) =>
    Object.fromEntries(t.order.map((p, i) => [p, t.space[p][idx[i]]]))
  const losses = Object.entries(t.table).map(([key, value]) => [
    sign * value,
    tabularCost(t.family, configOf([...key].map(Number))),
  ])
  // the table's median configuration (numpy's median: the mean of the middle two for an even count):
  // hypervolume then measures the gain over a typical configuration, as bench/optuna_race_mo.py does
  const reference = [0, 1].map((k) => median(losses.map((l) => l[k])))
  let optimal: number | null = null
  return {
    name,
    // as the reference suggests them: suggest_int(name, 0, k − 1), an index into the choices
    params: t.order.map((p) => ({
      name: p,
      type: 'int',
      low: 0,
      high: t.space[p].length - 1,
      log: false,
      step: 1,
    })),
    objectives: [
      { name: 'metric', direction: t.direction },
      { name: 'cost', direction: 'minimize' },
    ],
    constraints: [],
    evaluate(c) {
      const idx = t.order.map((p) => Number(c[p]))
      return {
        values: [t.table[idx.join('')], tabularCost(t.family, configOf(idx))],
        constraints: {},
      }
    },
    reference,
    // the 2-D sweep skips dominated points itself
    optimalHypervolume: () => (optimal ??= hypervolume(losses, reference)),
  }
}

/** Every problem of the race (tabular ones only when the development tables are there). */
export function raceMoProblems(): RaceMoProblem[] {
  const out: RaceMoProblem[] = MULTI_OBJECTIVE_FUNCTIONS.map((name) => {
    const fn = multiObjectiveFunction(name)
    return {
      name,
      params: fn.params,
      objectives: fn.objectives,
      constraints: fn.constraints,
      evaluate: fn.evaluate,
      reference: fn.reference,
      optimalHypervolume: fn.optimalHypervolume,
    }
  })
  if (existsSync(TABLES_DIR))
    for (const [name, file] of Object.entries(TABULAR_PROBLEMS))
      out.push(tabularProblem(name, file))
  return out
}

/** Losses of the feasible points among the trials so far (what the hypervolume counts). */
export function feasibleLosses(
  problem: RaceMoProblem,
  results: readonly { values: number[]; constraints: Record<string, number> }[],
): number[][] {
  return results
    .filter((r) => violations(problem.constraints, r.constraints).every((v) => v === 0))
    .map((r) => r.values.map((v, k) => (problem.objectives[k].direction === 'maximize' ? -v : v)))
}
