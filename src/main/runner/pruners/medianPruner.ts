// Runs in main. Optuna's MedianPruner: the 50th-percentile pruner.
import type { Pruner } from '../../../shared/pruner.ts'
import { createPercentilePruner } from './percentilePruner.ts'

export function createMedianPruner(options: { warmupSteps: number; minTrials: number }): Pruner {
  return createPercentilePruner({ ...options, percentile: 50 })
}
