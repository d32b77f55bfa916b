// The one rule for a study's best trial, used by the runner, the CLI, export and the UI.
import { isBetter, type Direction } from './study.ts'
import type { TrialRecord } from './trial.ts'

type Ranked = Pick<TrialRecord, 'number' | 'state' | 'value'>

/** Whether a trial competes for best: complete with a finite value (pruned and failed never rank). */
export const ranksForBest = (t: Ranked): boolean =>
  t.state === 'complete' && t.value !== null && Number.isFinite(t.value)

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
