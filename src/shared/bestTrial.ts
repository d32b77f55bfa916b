// The one rule for a study's best trial, used by the runner, the CLI, export and the UI. With several
// objectives there is no single best: the best trials are the Pareto front of the feasible ones.
import type { ObjectiveDef } from './objectivesSpec.ts'
import { paretoTrialNumbers } from './plots/paretoTrials.ts'
import { isBetter, type Direction } from './study.ts'
import type { TrialRecord } from './trial.ts'

type Ranked = Pick<TrialRecord, 'number' | 'state' | 'value' | 'feasible'>

/**
 * Whether a trial competes for best: complete with a finite value, and no constraint broken (pruned,
 * failed and infeasible trials never rank).
 */
export const ranksForBest = (t: Ranked): boolean =>
  t.state === 'complete' && t.value !== null && Number.isFinite(t.value) && t.feasible !== false

/** The complete trial with the best value in the study's direction (ties: the lower number); null when none. */
export function bestTrial<T extends Ranked>(direction: Direction, trials: Iterable<T>): T | null {
  let best: T | null = null
  for (const t of trials) {
    if (!ranksForBest(t)) continue
    if (
      !best ||
      isBetter(direction, t.value!, best.value!) ||
      (t.value === best.value && t.number < best.number)
    )
      best = t
  }
  return best
}

/** What deciding the best trials needs of a study's spec. */
export interface BestGoals {
  direction: Direction
  /** Several objectives, in the study file's order (absent: one). */
  objectives?: readonly ObjectiveDef[]
}

/**
 * A study's best trials in number order: its best one, or with several objectives its Pareto front
 * (trials that rank for best, with every value finite, that no other such trial dominates).
 */
export function bestTrials<T extends Ranked & Pick<TrialRecord, 'values'>>(
  goals: BestGoals,
  trials: readonly T[],
): T[] {
  if (!goals.objectives) {
    const best = bestTrial(goals.direction, trials)
    return best ? [best] : []
  }
  const pool = trials.filter((t) => ranksForBest(t) && t.values)
  const front = new Set(
    paretoTrialNumbers(
      pool.map((t) => ({ number: t.number, values: t.values! })),
      goals.objectives.map((o) => o.direction),
    ),
  )
  return pool.filter((t) => front.has(t.number)).sort((a, b) => a.number - b.number)
}
