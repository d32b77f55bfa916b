// (lead's interim registry; the tuners engineer replaces it with the full one)
import type { Tuner, TunerInit } from '../../shared/tuner.ts'
import type { TunerSpec } from '../../shared/tunerSpec.ts'
import { createRandomTuner } from './randomTuner.ts'

export function createTuner(spec: TunerSpec, init: Omit<TunerInit, 'options'>): Tuner {
  if (spec.kind === 'random') return createRandomTuner(init)
  throw new Error(`tuner ${spec.kind} is not built yet`)
}
