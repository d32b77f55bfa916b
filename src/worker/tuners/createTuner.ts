// Runs in the tuner worker: the one registry from a study file's `tuner` section to a Tuner.
import type { Tuner, TunerInit } from '../../shared/tuner.ts'
import type { TunerKind, TunerSpec } from '../../shared/tunerSpec.ts'
import { createCmaesTuner } from './cmaes/cmaesTuner.ts'
import { createGpTuner } from './gp/gpTuner.ts'
import { createGridTuner } from './grid/gridTuner.ts'
import { createMbrlTuner } from './mbrl/mbrlTuner.ts'
import { createQmcTuner } from './qmc/qmcTuner.ts'
import { createRandomTuner } from './random/randomTuner.ts'
import { createTpeTuner } from './tpe/tpeTuner.ts'

type Factory = (init: TunerInit) => Tuner

const FACTORIES: Record<TunerKind, Factory> = {
  random: createRandomTuner,
  grid: createGridTuner,
  qmc: createQmcTuner,
  tpe: createTpeTuner,
  gp: createGpTuner,
  cmaes: createCmaesTuner,
  mbrl: (init) => createMbrlTuner({ ...init, kind: 'mbrl' }),
  rl: (init) => createMbrlTuner({ ...init, kind: 'rl' }),
  'rl-onestep': (init) => createMbrlTuner({ ...init, kind: 'rl-onestep' }),
  // Hyperband and BOHB are proposal + pruner pairs (study-file.md): the hyperband pruner comes
  // from the study's `pruner` section, the proposals are random (hyperband) or TPE (bohb).
  hyperband: createRandomTuner,
  bohb: createTpeTuner,
}

export function createTuner(spec: TunerSpec, init: Omit<TunerInit, 'options'>): Tuner {
  const { kind, ...options } = spec
  return FACTORIES[kind]({ ...init, options })
}
