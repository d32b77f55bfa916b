// The tuner kinds that take several objectives and constraints, as the study runner creates them,
// against the multi-objective conformance suite.
import { tunerSpecSchema } from '../../src/shared/tunerSpec.ts'
import { MULTI_OBJECTIVE_TUNER_KINDS } from '../../src/shared/objectivesSpec.ts'
import { createTuner } from '../../src/worker/tuners/createTuner.ts'
import {
  describeMultiObjectiveConformance,
  type MultiTunerMaker,
} from './multiObjectiveConformance.ts'

const maker =
  (raw: Record<string, unknown>): MultiTunerMaker =>
  (init) =>
    createTuner(tunerSpecSchema.parse(raw), init)

describeMultiObjectiveConformance([
  ...MULTI_OBJECTIVE_TUNER_KINDS.map((kind) => ({ name: kind, make: maker({ kind }) })),
  { name: 'tpe multivariate', make: maker({ kind: 'tpe', multivariate: true }) },
  { name: 'nsga2 population 6', make: maker({ kind: 'nsga2', populationSize: 6 }) },
  {
    name: 'nsga2 population 6, sbx, polynomial',
    make: maker({ kind: 'nsga2', populationSize: 6, crossover: 'sbx', mutation: 'polynomial' }),
  },
  {
    name: 'qmc unscrambled',
    make: maker({ kind: 'qmc', scramble: false }),
    seedIndependent: true,
  },
])
