// Standard test functions for tuners, with their domains and known optima (docs/study-file.md lists them; the
// Optuna 3.1 reference figures of bench/tuners.bench.ts use the same).
import type { Config, ParamSpec } from './searchSpace.ts'

export const SYNTHETIC_FUNCTIONS = [
  'branin',
  'hartmann3',
  'hartmann6',
  'rosenbrock',
  'ackley',
  'levy',
  'mixed',
] as const
export type SyntheticFunctionName = (typeof SYNTHETIC_FUNCTIONS)[number]

export interface SyntheticFunction {
  name: SyntheticFunctionName
  dimensions: number
  /** The function's own space (fixed names: branin x1, x2; mixed x, v, n, c; others x0…x{d−1}). */
  params: ParamSpec[]
  /** Known global minimum f*. */
  optimum: number
  evaluate(config: Readonly<Config>): number
}

export const DEFAULT_DIMENSIONS: Partial<Record<SyntheticFunctionName, number>> = {
  rosenbrock: 4,
  ackley: 5,
  levy: 8,
}

const box = (d: number, low: number, high: number): ParamSpec[] =>
  Array.from({ length: d }, (_, i) => ({
    name: `x${i}`,
    type: 'float' as const,
    low,
    high,
    log: false,
  }))

const vec = (config: Readonly<Config>, d: number): number[] =>
  Array.from({ length: d }, (_, i) => Number(config[`x${i}`]))

function branin(x1: number, x2: number): number {
  const b = 5.1 / (4 * Math.PI ** 2)
  const c = 5 / Math.PI
  const t = 1 / (8 * Math.PI)
  return (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10
}

const H_ALPHA = [1, 1.2, 3, 3.2]
const H3_A = [
  [3, 10, 30],
  [0.1, 10, 35],
  [3, 10, 30],
  [0.1, 10, 35],
]
const H3_P = [
  [3689, 1170, 2673],
  [4699, 4387, 7470],
  [1091, 8732, 5547],
  [381, 5743, 8828],
].map((r) => r.map((v) => v * 1e-4))
const H6_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
]
const H6_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((r) => r.map((v) => v * 1e-4))

function hartmann(x: number[], A: number[][], P: number[][]): number {
  let s = 0
  for (let i = 0; i < 4; i++) {
    let inner = 0
    for (let j = 0; j < x.length; j++) inner += A[i][j] * (x[j] - P[i][j]) ** 2
    s += H_ALPHA[i] * Math.exp(-inner)
  }
  return -s
}

function rosenbrock(x: number[]): number {
  let s = 0
  for (let i = 0; i < x.length - 1; i++) s += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2
  return s
}

function ackley(x: number[]): number {
  const d = x.length
  const sq = x.reduce((a, v) => a + v * v, 0) / d
  const cs = x.reduce((a, v) => a + Math.cos(2 * Math.PI * v), 0) / d
  return -20 * Math.exp(-0.2 * Math.sqrt(sq)) - Math.exp(cs) + 20 + Math.E
}

function levy(x: number[]): number {
  const w = x.map((v) => 1 + (v - 1) / 4)
  const d = w.length
  let s = Math.sin(Math.PI * w[0]) ** 2
  for (let i = 0; i < d - 1; i++)
    s += (w[i] - 1) ** 2 * (1 + 10 * Math.sin(Math.PI * w[i] + 1) ** 2)
  s += (w[d - 1] - 1) ** 2 * (1 + Math.sin(2 * Math.PI * w[d - 1]) ** 2)
  return s
}

const MIXED_CENTERS: Record<string, [number, number, number, number]> = {
  a: [1, -2, -1, 3],
  b: [0.5, 0, 0, 12],
  c: [0, 2.5, 0.5, 7],
  d: [2, 4, -2, 18],
}

function mixed(x: number, v: number, n: number, c: string): number {
  const [off, xc, lvc, nc] = MIXED_CENTERS[c]
  return (
    off +
    0.25 * (x - xc) ** 2 +
    0.5 * (1 - Math.cos(2 * Math.PI * (x - xc))) +
    (Math.log10(v) - lvc) ** 2 +
    0.05 * (n - nc) ** 2
  )
}

/** The named function with its domain; `dimensions` applies to rosenbrock, ackley and levy. */
export function syntheticFunction(
  name: SyntheticFunctionName,
  dimensions?: number,
): SyntheticFunction {
  switch (name) {
    case 'branin':
      return {
        name,
        dimensions: 2,
        params: [
          { name: 'x1', type: 'float', low: -5, high: 10, log: false },
          { name: 'x2', type: 'float', low: 0, high: 15, log: false },
        ],
        optimum: 0.397887357729739,
        evaluate: (c) => branin(Number(c.x1), Number(c.x2)),
      }
    case 'hartmann3':
      return {
        name,
        dimensions: 3,
        params: box(3, 0, 1),
        optimum: -3.86278214782076,
        evaluate: (c) => hartmann(vec(c, 3), H3_A, H3_P),
      }
    case 'hartmann6':
      return {
        name,
        dimensions: 6,
        params: box(6, 0, 1),
        optimum: -3.32236801141551,
        evaluate: (c) => hartmann(vec(c, 6), H6_A, H6_P),
      }
    case 'rosenbrock': {
      const d = dimensions ?? 4
      return {
        name,
        dimensions: d,
        params: box(d, -5, 10),
        optimum: 0,
        evaluate: (c) => rosenbrock(vec(c, d)),
      }
    }
    case 'ackley': {
      const d = dimensions ?? 5
      return {
        name,
        dimensions: d,
        params: box(d, -32.768, 32.768),
        optimum: 0,
        evaluate: (c) => ackley(vec(c, d)),
      }
    }
    case 'levy': {
      const d = dimensions ?? 8
      return {
        name,
        dimensions: d,
        params: box(d, -10, 10),
        optimum: 0,
        evaluate: (c) => levy(vec(c, d)),
      }
    }
    case 'mixed':
      return {
        name,
        dimensions: 4,
        params: [
          { name: 'x', type: 'float', low: -5, high: 5, log: false },
          { name: 'v', type: 'float', low: 1e-3, high: 10, log: true },
          { name: 'n', type: 'int', low: 1, high: 20, log: false, step: 1 },
          { name: 'c', type: 'categorical', choices: ['a', 'b', 'c', 'd'] },
        ],
        optimum: 0,
        evaluate: (c) => mixed(Number(c.x), Number(c.v), Number(c.n), String(c.c)),
      }
  }
}
