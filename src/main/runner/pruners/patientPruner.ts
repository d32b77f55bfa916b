// Runs in main. Optuna's PatientPruner: asks its inner pruner (or prunes outright when
// there is none) only once the curve has not improved by more than minDelta for `patience` steps.
import type { Pruner } from '../../../shared/pruner.ts'
import { sortedCurve } from './intermediateValues.ts'

export function createPatientPruner(
  options: { patience: number; minDelta: number },
  inner: Pruner | null,
): Pruner {
  return {
    shouldPrune(trial, ctx) {
      const curve = sortedCurve(trial)
      if (curve.length <= options.patience + 1) return false
      const split = curve.length - options.patience - 1
      const finite = (xs: number[]) => xs.filter((v) => !Number.isNaN(v))
      const before = finite(curve.slice(0, split).map((p) => p.value))
      const after = finite(curve.slice(split).map((p) => p.value))
      if (before.length === 0 || after.length === 0) return false
      const stalled =
        ctx.direction === 'minimize'
          ? Math.min(...before) + options.minDelta < Math.min(...after)
          : Math.max(...before) - options.minDelta > Math.max(...after)
      if (!stalled) return false
      return inner ? inner.shouldPrune(trial, ctx) : true
    },
  }
}
