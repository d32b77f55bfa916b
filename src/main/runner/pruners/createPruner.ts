// Runs in main: the one registry from a study file's `pruner` section to a Pruner.
import type { Pruner } from '../../../shared/pruner.ts'
import type { PrunerSpec } from '../../../shared/prunerSpec.ts'
import { createHyperbandPruner } from './hyperbandPruner.ts'
import { createMedianPruner } from './medianPruner.ts'
import { createPatientPruner } from './patientPruner.ts'
import { createPercentilePruner } from './percentilePruner.ts'
import { createSuccessiveHalvingPruner } from './successiveHalvingPruner.ts'

export function createPruner(spec: PrunerSpec): Pruner {
  switch (spec.kind) {
    case 'none':
      return { shouldPrune: () => false }
    case 'median':
      return createMedianPruner(spec)
    case 'percentile':
      return createPercentilePruner(spec)
    case 'successive-halving':
      return createSuccessiveHalvingPruner(spec)
    case 'hyperband':
      return createHyperbandPruner(spec)
    case 'patient':
      return createPatientPruner(spec, spec.inner ? createPruner(spec.inner) : null)
  }
}
