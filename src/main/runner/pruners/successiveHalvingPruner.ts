// Runs in main. Asynchronous successive halving (ASHA), as Optuna's
// SuccessiveHalvingPruner: rung r is reached at step minResource·η^(minEarlyStoppingRate + r); a
// trial entering a rung continues only if its value there is in the top 1/η of every value any trial
// has recorded at that rung (the best one while fewer than η have). Rung values are read back from
// the curves (the first value at or after the rung's step), so the decision depends only on history.
import type { Pruner, PrunerTrial } from '../../../shared/pruner.ts'
import type { Direction } from '../../../shared/study.ts'
import { firstValueFrom, lastPoint } from './intermediateValues.ts'

export interface SuccessiveHalvingOptions {
  minResource: number
  reductionFactor: number
  minEarlyStoppingRate: number
  /** No pruning before this step. */
  warmupSteps: number
  /** A rung never prunes while fewer than this many other trials have reached it (0: Optuna's behaviour). */
  minTrials: number
}

/** Whether `value` is among the best ⌊n/η⌋ (at least the best one) of the n competing values, itself included. */
export function isPromotable(
  value: number,
  competing: readonly number[],
  reductionFactor: number,
  direction: Direction,
): boolean {
  const sorted = [...competing].sort((a, b) => a - b)
  const index = Math.max(0, Math.floor(sorted.length / reductionFactor) - 1)
  return direction === 'maximize'
    ? value >= sorted[sorted.length - 1 - index]
    : value <= sorted[index]
}

export function rungStep(options: SuccessiveHalvingOptions, rung: number): number {
  return options.minResource * options.reductionFactor ** (options.minEarlyStoppingRate + rung)
}

/** The ASHA decision for `trial` against `others` (the trials it competes with, itself excluded). */
export function successiveHalvingDecision(
  trial: PrunerTrial,
  others: readonly PrunerTrial[],
  options: SuccessiveHalvingOptions,
  direction: Direction,
): boolean {
  const last = lastPoint(trial)
  if (!last || last.step < options.warmupSteps) return false
  const previousStep = trial.intermediate.reduce(
    (m, p) => (p.step < last.step && p.step > m ? p.step : m),
    -Infinity,
  )
  let rung = 0
  while (rungStep(options, rung) <= previousStep) rung++
  for (; rungStep(options, rung) <= last.step; rung++) {
    if (Number.isNaN(last.value)) return true
    const at = rungStep(options, rung)
    const competing = others.flatMap((t) => {
      const v = firstValueFrom(t, at)
      return v === undefined || Number.isNaN(v) ? [] : [v]
    })
    if (competing.length < options.minTrials) continue
    if (!isPromotable(last.value, [...competing, last.value], options.reductionFactor, direction))
      return true
  }
  return false
}

export function createSuccessiveHalvingPruner(options: SuccessiveHalvingOptions): Pruner {
  return {
    shouldPrune(trial, ctx) {
      const others = ctx.trials.filter((t) => t.number !== trial.number)
      return successiveHalvingDecision(trial, others, options, ctx.direction)
    },
  }
}
