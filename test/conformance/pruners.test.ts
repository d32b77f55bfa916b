// Every pruner kind of the registry against the conformance suite.
import { prunerSpecSchema } from '../../src/shared/prunerSpec.ts'
import { createPruner } from '../../src/main/runner/pruners/createPruner.ts'
import { describePrunerConformance, type PrunerCase } from './prunerConformance.ts'

/** Overrides (warmupSteps) go to the pruner, or to its inner pruner for a `patient` that has one. */
const make =
  (base: Record<string, unknown>): PrunerCase['make'] =>
  (overrides = {}) =>
    createPruner(
      prunerSpecSchema.parse(
        base.kind === 'patient' && base.inner
          ? { ...base, inner: { ...(base.inner as object), ...overrides } }
          : { ...base, ...overrides },
      ),
    )

describePrunerConformance([
  { name: 'none', make: make({ kind: 'none' }), prunes: false, hasWarmup: false },
  { name: 'median', make: make({ kind: 'median' }), prunes: true, hasWarmup: true },
  {
    name: 'percentile 25',
    make: make({ kind: 'percentile', percentile: 25 }),
    prunes: true,
    hasWarmup: true,
  },
  {
    name: 'successive-halving',
    make: make({ kind: 'successive-halving' }),
    prunes: true,
    hasWarmup: true,
  },
  {
    name: 'successive-halving (η 2, rate 1, minResource 2)',
    make: make({
      kind: 'successive-halving',
      reductionFactor: 2,
      minEarlyStoppingRate: 1,
      minResource: 2,
    }),
    prunes: true,
    hasWarmup: true,
  },
  { name: 'hyperband (auto)', make: make({ kind: 'hyperband' }), prunes: true, hasWarmup: true },
  {
    name: 'hyperband (maxResource 27, η 3)',
    make: make({ kind: 'hyperband', maxResource: 27 }),
    prunes: true,
    hasWarmup: true,
  },
  {
    name: 'patient alone',
    make: make({ kind: 'patient', patience: 3 }),
    prunes: true,
    hasWarmup: false,
  },
  {
    name: 'patient around median',
    make: make({ kind: 'patient', patience: 2, inner: { kind: 'median' } }),
    prunes: true,
    hasWarmup: true,
  },
])
