// Runs in main. Optuna's PercentilePruner: prune when the trial's best value so far is
// worse than the given percentile of the complete trials' values at the same step.
import type { Pruner } from '../../../shared/pruner.ts'
import { lastPoint, nanPercentile, valueAtStep } from './intermediateValues.ts'

export interface PercentilePrunerOptions {
  /** 0 < percentile < 100; 50 is the median pruner. For maximize, 100 − percentile is used. */
  percentile: number
  /** No pruning before this step. */
  warmupSteps: number
  /** No pruning until this many trials are complete (Optuna's n_startup_trials). */
  minTrials: number
}

export function createPercentilePruner(options: PercentilePrunerOptions): Pruner {
  return {
    shouldPrune(trial, ctx) {
      const complete = ctx.trials.filter((t) => t.state === 'complete' && t.number !== trial.number)
      if (complete.length === 0 || complete.length < options.minTrials) return false
      const last = lastPoint(trial)
      if (!last || last.step < options.warmupSteps) return false
      const values = trial.intermediate.map((p) => p.value).filter((v) => !Number.isNaN(v))
      if (values.length === 0) return true
      const maximize = ctx.direction === 'maximize'
      const best = maximize ? Math.max(...values) : Math.min(...values)
      const others = complete.flatMap((t) => {
        const v = valueAtStep(t, last.step)
        return v === undefined ? [] : [v]
      })
      if (others.length === 0) return false
      const p = nanPercentile(others, maximize ? 100 - options.percentile : options.percentile)
      if (Number.isNaN(p)) return false
      return maximize ? best < p : best > p
    },
  }
}
