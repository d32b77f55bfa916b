// Runs in main: why a pruned trial stopped, in words — the step, its value there, and the rule of the
// study's pruner — stored with the trial (its `error`, the reason it did not complete) and shown on
// the trial page and in the table.
import type { PrunerSpec } from '../../shared/prunerSpec.ts'

type Rule = Exclude<PrunerSpec, { kind: 'patient' }>

function rule(p: Rule): string {
  switch (p.kind) {
    case 'none':
      return 'the study has no pruner: it was stopped as pruned'
    case 'median':
      return `worse than the median of the complete trials at that step (median pruner, from step ${p.warmupSteps} once ${p.minTrials} trials were complete)`
    case 'percentile':
      return `worse than the ${p.percentile}th percentile of the complete trials at that step (percentile pruner, from step ${p.warmupSteps} once ${p.minTrials} trials were complete)`
    case 'successive-halving':
      return `not in the best 1/${p.reductionFactor} of the trials at that rung (successive halving, minResource ${p.minResource})`
    case 'hyperband':
      return `not in the best 1/${p.reductionFactor} of the trials at that rung of its bracket (hyperband, minResource ${p.minResource}, maxResource ${p.maxResource})`
  }
}

export function pruneReason(
  pruner: PrunerSpec,
  at: { step: number | null; value: number | null },
): string {
  const where =
    at.step === null ? 'before reporting a value' : `at step ${at.step} (value ${at.value})`
  if (pruner.kind !== 'patient') return `pruned ${where}: ${rule(pruner)}`
  const stalled = `no better by ${pruner.minDelta} for ${pruner.patience} steps`
  return `pruned ${where}: ${stalled}${pruner.inner ? `, and ${rule(pruner.inner)}` : ''} (patient pruner)`
}
