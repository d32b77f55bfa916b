// Runs in the tuner worker. TPE's history and its split for several objectives (Optuna 3.1's MOTPE:
// non-domination ranks, then a greedy hypervolume subset of the last rank; the good group's kernels
// weighted by hypervolume contribution) and with constraints (Optuna 3.1's constrained TPE: feasible
// trials first, infeasible ones by total violation, a trial that reported none last).
import { hypervolume } from '../../../shared/hypervolume.ts'
import { dominates, nonDominatedSort } from '../../../shared/pareto.ts'
import { lossVector, totalViolation } from '../../../shared/trial.ts'
import type { TunerContext } from '../../../shared/tuner.ts'
import { collectObservations, splitObservations, type TpeObservation } from './tpeObservations.ts'

const EPS = 1e-12

/** What TPE needs to know of the study's goals beyond one direction. */
export interface TpeGoals {
  objectives: number
  constrained: boolean
}

/** An observation with every objective's loss and its total violation (Infinity: none reported). */
export interface GoalObservation extends TpeObservation {
  losses: readonly number[]
  violation: number
}

export interface TpeSplit {
  below: number[]
  above: number[]
  /** The good group's kernel weights, aligned with `below` (several objectives only). */
  weightsBelow?: number[]
}

/** Optuna's _get_observation_pairs with several objectives or constraints. */
export function collectGoalObservations(
  ctx: TunerContext,
  direction: 'minimize' | 'maximize',
  goals: TpeGoals,
  constantLiar: boolean,
): GoalObservation[] {
  const multi = goals.objectives > 1
  const byNumber = new Map(ctx.finished.map((t) => [t.number, t]))
  const out: GoalObservation[] = []
  for (const o of collectObservations(ctx, direction, constantLiar)) {
    // MOTPE learns from complete trials only (no pruned, no constant liar)
    if (multi && (o.pending || o.score[0] !== -Infinity)) continue
    const trial = byNumber.get(o.number)
    const losses = multi && trial ? (lossVector(trial) ?? []) : [o.score[1]]
    if (losses.length !== goals.objectives) continue
    const violation = o.pending || !trial ? Infinity : (totalViolation(trial) ?? Infinity)
    out.push({ ...o, losses, violation })
  }
  return out
}

/** Optuna's _calculate_nondomination_rank, grouped: indices of each rank, ascending. */
function ranks(losses: readonly (readonly number[])[]): number[][] {
  return nonDominatedSort(losses, dominates).map((front) => [...front].sort((a, b) => a - b))
}

/** max(1.1·worst, 0.9·worst) per objective, 0 → EPS (Optuna's reference point). */
function referencePoint(points: readonly (readonly number[])[]): number[] {
  return points[0].map((_, k) => {
    const worst = Math.max(...points.map((p) => p[k]))
    const ref = Math.max(1.1 * worst, 0.9 * worst)
    return ref === 0 ? EPS : ref
  })
}

/** Optuna 3.1's greedy hypervolume subset selection (_solve_hssp), its incremental update included. */
function solveHssp(
  points: readonly (readonly number[])[],
  indices: readonly number[],
  size: number,
  ref: readonly number[],
): number[] {
  const contributions = points.map((p) => hypervolume([p], ref))
  const selectedVecs: (readonly number[])[] = []
  const selected: number[] = []
  let hvSelected = 0
  while (selected.length < size) {
    let best = 0
    for (let j = 1; j < contributions.length; j++)
      if (contributions[j] > contributions[best]) best = j
    contributions[best] = -1
    const vec = points[best]
    points.forEach((v, j) => {
      if (contributions[j] === -1) return
      const p = vec.map((x, k) => Math.max(x, v[k]))
      contributions[j] -= hypervolume([...selectedVecs, p], ref) - hvSelected
    })
    selectedVecs.push(vec)
    selected.push(indices[best])
    hvSelected = hypervolume(selectedVecs, ref)
  }
  return selected
}

/** The MOTPE split without constraints: whole ranks, then a hypervolume subset (not chronological). */
function splitByRank(losses: readonly (readonly number[])[], nBelow: number): TpeSplit {
  const below: number[] = []
  let last: number[] = []
  for (const rank of ranks(losses)) {
    if (below.length + rank.length > nBelow) {
      last = rank
      break
    }
    below.push(...rank)
    if (below.length === nBelow) break
  }
  const subset = nBelow - below.length
  if (subset > 0) {
    const points = last.map((i) => losses[i])
    below.push(...solveHssp(points, last, subset, referencePoint(points)))
  }
  const taken = new Set(below)
  return { below, above: losses.map((_, i) => i).filter((i) => !taken.has(i)) }
}

function splitUnconstrained(observations: readonly GoalObservation[], nBelow: number): TpeSplit {
  if (observations.length > 0 && observations[0].losses.length > 1)
    return splitByRank(
      observations.map((o) => o.losses),
      nBelow,
    )
  return splitObservations(observations, nBelow)
}

/** Optuna's _split_observation_pairs: constraints first, then by rank or by loss. */
export function splitGoalObservations(
  observations: readonly GoalObservation[],
  nBelow: number,
  goals: TpeGoals,
): TpeSplit {
  let split: TpeSplit
  if (!goals.constrained) split = splitUnconstrained(observations, nBelow)
  else {
    const byViolation = observations
      .map((_, i) => i)
      .sort((a, b) => observations[a].violation - observations[b].violation)
    const byIndex = (a: number, b: number): number => a - b
    if (nBelow >= byViolation.length || observations[byViolation[nBelow]].violation > 0)
      split = {
        below: byViolation.slice(0, nBelow).sort(byIndex),
        above: byViolation.slice(nBelow).sort(byIndex),
      }
    else {
      const feasible = observations.map((_, i) => i).filter((i) => observations[i].violation === 0)
      const infeasible = observations.map((_, i) => i).filter((i) => observations[i].violation > 0)
      const inner = splitUnconstrained(
        feasible.map((i) => observations[i]),
        nBelow,
      )
      split = {
        below: inner.below.map((i) => feasible[i]).sort(byIndex),
        above: [...inner.above.map((i) => feasible[i]), ...infeasible].sort(byIndex),
      }
    }
  }
  if (goals.objectives > 1)
    split.weightsBelow = weightsBelow(observations, split.below, goals.constrained)
  return split
}

/** Optuna's _calculate_weights_below_for_multi_objective: hypervolume contributions, EPS if infeasible. */
function weightsBelow(
  observations: readonly GoalObservation[],
  below: readonly number[],
  constrained: boolean,
): number[] {
  const feasible = below.filter((i) => !constrained || observations[i].violation === 0)
  const points = feasible.map((i) => observations[i].losses)
  let weights: number[]
  if (points.length <= 1) weights = points.map(() => 1)
  else {
    const ref = referencePoint(points)
    const hv = hypervolume(points, ref)
    const contributions = points.map(
      (_, i) =>
        hv -
        hypervolume(
          points.filter((__, j) => j !== i),
          ref,
        ) +
        EPS,
    )
    const max = Math.max(...contributions)
    weights = contributions.map((c) => Math.min(1, Math.max(0, c / max)))
  }
  const out = below.map(() => EPS)
  feasible.forEach((i, k) => (out[below.indexOf(i)] = weights[k]))
  return out
}
