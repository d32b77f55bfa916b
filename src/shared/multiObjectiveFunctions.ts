// Standard multi-objective test functions (every objective minimized) with their domains, a
// reference point for hypervolume and the hypervolume of the true Pareto front against it: ZDT1–3
// (Zitzler, Deb & Thiele 2000), DTLZ2 (Deb et al. 2002) and Binh–Korn (Binh & Korn 1997, two constraints).
import type { ConstraintDef, ObjectiveDef } from './objectivesSpec.ts'
import { hypervolume } from './hypervolume.ts'
import type { Config, ParamSpec } from './searchSpace.ts'

export const MULTI_OBJECTIVE_FUNCTIONS = ['zdt1', 'zdt2', 'zdt3', 'dtlz2', 'binh_korn'] as const
export type MultiObjectiveFunctionName = (typeof MULTI_OBJECTIVE_FUNCTIONS)[number]

export interface MultiObjectiveFunction {
  name: MultiObjectiveFunctionName
  dimensions: number
  params: ParamSpec[]
  /** f1, f2 (, f3): all minimized. */
  objectives: ObjectiveDef[]
  /** The function's own constraints (Binh–Korn's c1 ≤ 25, c2 ≥ 7.7); none for the others. */
  constraints: ConstraintDef[]
  /** Objective values, and the constrained quantities by name. */
  evaluate(config: Readonly<Config>): { values: number[]; constraints: Record<string, number> }
  /** The objective space's upper corner plus 10%: the hypervolume reference point. */
  reference: number[]
  /** Hypervolume of the true Pareto front against `reference` (computed once, on demand). */
  optimalHypervolume(): number
}

export const DEFAULT_MO_DIMENSIONS: Record<MultiObjectiveFunctionName, number> = {
  zdt1: 10,
  zdt2: 10,
  zdt3: 10,
  dtlz2: 7,
  binh_korn: 2,
}

const unitBox = (d: number): ParamSpec[] =>
  Array.from({ length: d }, (_, i) => ({
    name: `x${i}`,
    type: 'float' as const,
    low: 0,
    high: 1,
    log: false,
  }))

const vec = (c: Readonly<Config>, d: number): number[] =>
  Array.from({ length: d }, (_, i) => Number(c[`x${i}`]))

const minimized = (m: number): ObjectiveDef[] =>
  Array.from({ length: m }, (_, k) => ({ name: `f${k + 1}`, direction: 'minimize' as const }))

/** The hypervolume of a front given as points on a fine parametrization, computed once. */
function lazyHypervolume(front: () => number[][], ref: number[]): () => number {
  let hv: number | null = null
  return () => (hv ??= hypervolume(front(), ref))
}

function zdt(kind: 1 | 2 | 3, d: number): MultiObjectiveFunction {
  const h = (f1: number, g: number): number =>
    kind === 1
      ? 1 - Math.sqrt(f1 / g)
      : kind === 2
        ? 1 - (f1 / g) ** 2
        : 1 - Math.sqrt(f1 / g) - (f1 / g) * Math.sin(10 * Math.PI * f1)
  const reference = [1.1, 11]
  const front = (): number[][] =>
    Array.from({ length: 20_001 }, (_, i) => [i / 20_000, h(i / 20_000, 1)])
  return {
    name: `zdt${kind}`,
    dimensions: d,
    params: unitBox(d),
    objectives: minimized(2),
    constraints: [],
    evaluate(c) {
      const x = vec(c, d)
      const g = 1 + (9 * x.slice(1).reduce((a, v) => a + v, 0)) / (d - 1)
      return { values: [x[0], g * h(x[0], g)], constraints: {} }
    },
    reference,
    // ZDT3's front is disconnected: the dominated parts of the curve add nothing
    optimalHypervolume: lazyHypervolume(front, reference),
  }
}

function dtlz2(d: number): MultiObjectiveFunction {
  const m = 3
  const reference = [1.1, 1.1, 1.1]
  return {
    name: 'dtlz2',
    dimensions: d,
    params: unitBox(d),
    objectives: minimized(m),
    constraints: [],
    evaluate(c) {
      const x = vec(c, d)
      const g = x.slice(m - 1).reduce((a, v) => a + (v - 0.5) ** 2, 0)
      const [a, b] = [(x[0] * Math.PI) / 2, (x[1] * Math.PI) / 2]
      return {
        values: [
          (1 + g) * Math.cos(a) * Math.cos(b),
          (1 + g) * Math.cos(a) * Math.sin(b),
          (1 + g) * Math.sin(a),
        ],
        constraints: {},
      }
    },
    reference,
    // the front is the unit sphere in the positive orthant: 1.1³ − π/6
    optimalHypervolume: () => 1.1 ** 3 - Math.PI / 6,
  }
}

function binhKorn(): MultiObjectiveFunction {
  const reference = [150, 55]
  const f = (x: number, y: number): number[] => [4 * x * x + 4 * y * y, (x - 5) ** 2 + (y - 5) ** 2]
  // Its front: x = y for x ≤ 3, then y = 3 for 3 ≤ x ≤ 5 (both constraints hold along it).
  const front = (): number[][] =>
    Array.from({ length: 20_001 }, (_, i) => {
      const t = (5 * i) / 20_000
      return t <= 3 ? f(t, t) : f(t, 3)
    })
  return {
    name: 'binh_korn',
    dimensions: 2,
    params: [
      { name: 'x', type: 'float', low: 0, high: 5, log: false },
      { name: 'y', type: 'float', low: 0, high: 3, log: false },
    ],
    objectives: minimized(2),
    constraints: [
      { name: 'c1', max: 25 },
      { name: 'c2', min: 7.7 },
    ],
    evaluate(c) {
      const [x, y] = [Number(c.x), Number(c.y)]
      return {
        values: f(x, y),
        constraints: { c1: (x - 5) ** 2 + y * y, c2: (x - 8) ** 2 + (y + 3) ** 2 },
      }
    },
    reference,
    optimalHypervolume: lazyHypervolume(front, reference),
  }
}

/** The named function; `dimensions` applies to ZDT (≥ 2) and DTLZ2 (≥ 3). */
export function multiObjectiveFunction(
  name: MultiObjectiveFunctionName,
  dimensions?: number,
): MultiObjectiveFunction {
  const d = dimensions ?? DEFAULT_MO_DIMENSIONS[name]
  switch (name) {
    case 'zdt1':
      return zdt(1, d)
    case 'zdt2':
      return zdt(2, d)
    case 'zdt3':
      return zdt(3, d)
    case 'dtlz2':
      return dtlz2(Math.max(3, d))
    case 'binh_korn':
      return binhKorn()
  }
}

export const isMultiObjectiveFunction = (name: string): name is MultiObjectiveFunctionName =>
  (MULTI_OBJECTIVE_FUNCTIONS as readonly string[]).includes(name)
