// Runs in the tuner worker. Quasi-random search: point k of a (scrambled) Sobol sequence for the
// k-th proposal, one coordinate per parameter, decoded by the shared codec.
import { z } from 'zod'
import { decodePoint } from '../../../shared/spaceCodec.ts'
import {
  decodeJsonState,
  encodeJsonState,
  type Tuner,
  type TunerInit,
} from '../../../shared/tuner.ts'
import { createSobolSequence } from './sobolSequence.ts'
import { tunerOptions } from '../tunerOptions.ts'

export function createQmcTuner(init: TunerInit): Tuner {
  const opts = tunerOptions('qmc', init.options)
  const sequence = createSobolSequence(init.space.params.length, {
    scramble: opts.scramble,
    seed: init.seed,
  })
  let index = 0
  return {
    async ask() {
      const i = index++
      return { params: decodePoint(init.space, sequence.point(i)), tunerData: { sobolIndex: i } }
    },
    async tell() {},
    saveState: () => encodeJsonState({ index }),
    loadState(state) {
      index = decodeJsonState(state, z.object({ index: z.number().int().min(0) }), 'qmc').index
    },
  }
}
