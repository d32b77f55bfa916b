// Every tuner kind of the registry, as the study runner creates it, against the conformance suite
// (the RL kinds, slower, run in rlTuners.test.ts).
import { RL_TUNER_KINDS, TUNER_KINDS, tunerSpecSchema } from '../../src/shared/tunerSpec.ts'
import { createTuner } from '../../src/worker/tuners/createTuner.ts'
import { describeTunerConformance, type TunerMaker } from './tunerConformance.ts'

const tunerMaker =
  (raw: Record<string, unknown>): TunerMaker =>
  (init) =>
    createTuner(tunerSpecSchema.parse(raw), init)

describeTunerConformance([
  ...TUNER_KINDS.filter((kind) => !RL_TUNER_KINDS.includes(kind)).map((kind) => ({
    name: kind,
    make: tunerMaker({ kind }),
  })),
  {
    name: 'tpe univariate (Optuna 3.1)',
    make: tunerMaker({ kind: 'tpe', multivariate: false, constantLiar: false }),
  },
  { name: 'tpe without constant liar', make: tunerMaker({ kind: 'tpe', constantLiar: false }) },
  { name: 'grid (3 points per float)', make: tunerMaker({ kind: 'grid', pointsPerFloat: 3 }) },
  {
    name: 'qmc unscrambled',
    make: tunerMaker({ kind: 'qmc', scramble: false }),
    options: { seedIndependent: true },
  },
  { name: 'nsga2 population 4', make: tunerMaker({ kind: 'nsga2', populationSize: 4 }) },
  {
    name: 'nsga2 population 4, sbx, polynomial mutation',
    make: tunerMaker({
      kind: 'nsga2',
      populationSize: 4,
      crossover: 'sbx',
      mutation: 'polynomial',
    }),
  },
  {
    name: 'cmaes popsize 4, sigma0 0.3',
    make: tunerMaker({ kind: 'cmaes', popsize: 4, sigma0: 0.3 }),
  },
])
