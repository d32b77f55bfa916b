import { describe, expect, it } from 'vitest'
import { prunerSpecSchema } from '../../shared/prunerSpec.ts'
import { pruneReason } from './pruneReason.ts'

describe('pruneReason', () => {
  it('says the step, the value and the rule of each pruner', () => {
    const median = prunerSpecSchema.parse({ kind: 'median', warmupSteps: 3 })
    expect(pruneReason(median, { step: 7, value: 0.42 })).toBe(
      'pruned at step 7 (value 0.42): worse than the median of the complete trials at that step (median pruner, from step 3 once 5 trials were complete)',
    )
    const sh = prunerSpecSchema.parse({ kind: 'successive-halving', reductionFactor: 4 })
    expect(pruneReason(sh, { step: 4, value: 1 })).toMatch(/best 1\/4 of the trials at that rung/)
    const patient = prunerSpecSchema.parse({
      kind: 'patient',
      patience: 2,
      inner: { kind: 'percentile', percentile: 30 },
    })
    expect(pruneReason(patient, { step: null, value: null })).toMatch(
      /^pruned before reporting a value: no better by 0 for 2 steps, and worse than the 30th percentile/,
    )
  })
})
