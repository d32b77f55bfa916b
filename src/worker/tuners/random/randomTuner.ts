// Runs in the tuner worker. Uniform (log-uniform for log parameters) sampling through the shared codec.
import { z } from 'zod'
import { createRng, restoreRng, rngStateSchema } from '../../../shared/rng.ts'
import { sampleConfig } from '../../../shared/spaceCodec.ts'
import {
  decodeJsonState,
  encodeJsonState,
  type Tuner,
  type TunerInit,
} from '../../../shared/tuner.ts'

export function createRandomTuner(init: Omit<TunerInit, 'options'>): Tuner {
  let rng = createRng(init.seed)
  return {
    async ask() {
      return { params: sampleConfig(init.space, rng) }
    },
    async tell() {},
    saveState: () => encodeJsonState({ rng: rng.state() }),
    loadState(state) {
      rng = restoreRng(decodeJsonState(state, z.object({ rng: rngStateSchema }), 'random').rng)
    },
  }
}
