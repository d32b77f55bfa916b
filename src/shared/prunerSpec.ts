// Pruner kinds and their options as a study file gives them.
import { z } from 'zod'

/** A study with several objectives names the one it prunes on: the first, whose intermediate values trials report. */
const objective = { objective: z.string().min(1).optional() }

const common = {
  ...objective,
  /** No pruning before this step. */
  warmupSteps: z.number().int().min(0).default(0),
  /** No pruning until this many trials are complete (Optuna's n_startup_trials). */
  minTrials: z.number().int().min(0).default(5),
}
/** Successive halving and hyperband: minTrials counts the other trials that reached the rung (0 = Optuna's default). */
const rungCommon = {
  ...objective,
  warmupSteps: z.number().int().min(0).default(0),
  minTrials: z.number().int().min(0).default(0),
}

const basePrunerSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('median'), ...common }),
  z.strictObject({
    kind: z.literal('percentile'),
    percentile: z.number().gt(0).lt(100).default(25),
    ...common,
  }),
  z.strictObject({
    kind: z.literal('successive-halving'),
    minResource: z.number().int().min(1).default(1),
    reductionFactor: z.number().int().min(2).default(3),
    minEarlyStoppingRate: z.number().int().min(0).default(0),
    ...rungCommon,
  }),
  z.strictObject({
    kind: z.literal('hyperband'),
    minResource: z.number().int().min(1).default(1),
    maxResource: z.union([z.number().int().min(1), z.literal('auto')]).default('auto'),
    reductionFactor: z.number().int().min(2).default(3),
    ...rungCommon,
  }),
])

export const prunerSpecSchema = z.union([
  basePrunerSchema,
  z.strictObject({
    kind: z.literal('patient'),
    ...objective,
    patience: z.number().int().min(0),
    minDelta: z.number().min(0).default(0),
    inner: basePrunerSchema.optional(),
  }),
])

export type PrunerSpec = z.output<typeof prunerSpecSchema>
export type PrunerKind = PrunerSpec['kind']
export const PRUNER_KINDS: readonly PrunerKind[] = [
  'none',
  'median',
  'percentile',
  'successive-halving',
  'hyperband',
  'patient',
]
