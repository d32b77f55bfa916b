// The Pareto front of a study's trials (infeasible ones never on it) and the hypervolume after each
// trial: what the Pareto-front plot, the best-trials list and the CLI's `show` present.
import { hypervolume } from '../hypervolume.ts'
import { toLosses } from '../objectivesSpec.ts'
import { dominates } from '../pareto.ts'
import type { Direction } from '../study.ts'

/** A complete trial as these views need it. */
export interface ObjectiveTrial {
  number: number
  /** Every objective's value, in the study file's order. */
  values: readonly number[]
  /** False when a constraint does not hold; absent or null without constraints. */
  feasible?: boolean | null
}

const usable = (t: ObjectiveTrial): boolean =>
  t.feasible !== false && t.values.every((v) => Number.isFinite(v))

/** Numbers of the trials on the front (feasible, not dominated by another feasible one), in number order. */
export function paretoTrialNumbers(
  trials: readonly ObjectiveTrial[],
  directions: readonly Direction[],
): number[] {
  const pool = trials
    .filter(usable)
    .map((t) => ({ n: t.number, l: toLosses(directions, [...t.values]) }))
  // In lexicographic order a dominated point comes after a front point that dominates it.
  pool.sort((a, b) => {
    for (let k = 0; k < a.l.length; k++) if (a.l[k] !== b.l[k]) return a.l[k] - b.l[k]
    return a.n - b.n
  })
  const front: typeof pool = []
  for (const p of pool) if (!front.some((q) => dominates(q.l, p.l))) front.push(p)
  return front.map((p) => p.n).sort((a, b) => a - b)
}

const equal = (a: readonly number[], b: readonly number[]): boolean => a.every((v, k) => v === b[k])

/** A reference point for a study's hypervolume: per objective, the worst value seen plus 10% of the range. */
export function referencePoint(
  trials: readonly ObjectiveTrial[],
  directions: readonly Direction[],
): number[] | null {
  const losses = trials.filter(usable).map((t) => toLosses(directions, [...t.values]))
  if (losses.length === 0) return null
  return directions.map((_, k) => {
    const lo = Math.min(...losses.map((l) => l[k]))
    const hi = Math.max(...losses.map((l) => l[k]))
    return hi + 0.1 * (hi - lo || Math.abs(hi) || 1)
  })
}

/** The hypervolume of the feasible trials after each one, in number order, against `reference` (losses). */
export function hypervolumeHistory(
  trials: readonly ObjectiveTrial[],
  directions: readonly Direction[],
  reference: readonly number[],
): { numbers: number[]; hypervolume: number[] } {
  const ordered = [...trials].sort((a, b) => a.number - b.number)
  let front: number[][] = []
  let hv = 0
  const out = { numbers: [] as number[], hypervolume: [] as number[] }
  for (const t of ordered) {
    if (usable(t)) {
      const l = toLosses(directions, [...t.values])
      if (!front.some((f) => dominates(f, l) || equal(f, l))) {
        front = [...front.filter((f) => !dominates(l, f)), l]
        hv = hypervolume(front, reference)
      }
    }
    out.numbers.push(t.number)
    out.hypervolume.push(hv)
  }
  return out
}
