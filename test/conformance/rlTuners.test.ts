// The RL tuner kinds of the registry against the conformance suite (kept apart: each takes seconds).
import { RL_TUNER_KINDS, tunerSpecSchema } from '../../src/shared/tunerSpec.ts'
import { createTuner } from '../../src/worker/tuners/createTuner.ts'
import { describeTunerConformance } from './tunerConformance.ts'

describeTunerConformance(
  RL_TUNER_KINDS.map((kind) => ({
    name: kind,
    make: (init) => createTuner(tunerSpecSchema.parse({ kind }), init),
  })),
)
