// Runs in the tuner worker. TPE with Optuna 3.1's TPESampler defaults as the reference behaviour
// (see tpeSampler.ts); also the proposal half of `bohb` (TPE + the hyperband pruner, as Optuna
// approximates BOHB: pruned trials rank after complete ones, by the step they reached).
import { z } from 'zod'
import {
  createNumpyRandomState,
  numpyRandomStateSchema,
  restoreNumpyRandomState,
} from '../../../shared/numpyRandomState.ts'
import { rngStateSchema } from '../../../shared/rng.ts'
import {
  decodeJsonState,
  encodeJsonState,
  type Tuner,
  type TunerInit,
} from '../../../shared/tuner.ts'
import { createTpeSampler, type TpeOptions } from './tpeSampler.ts'
import { tunerOptions } from '../tunerOptions.ts'

/** The TPE options of a `tpe` or `bohb` tuner section, defaults filled in. */
export function tpeOptions(options: Record<string, unknown>): TpeOptions {
  const { kind: _kind, ...rest } = tunerOptions('tpe', options)
  return rest
}

const tpeStateSchema = z.object({
  tpe: numpyRandomStateSchema.optional(),
  startup: numpyRandomStateSchema.optional(),
  /** What tpe saved before it drew NumPy's numbers (HPO Studio 0.1.0 before this change). */
  rng: rngStateSchema.optional(),
})

export function createTpeTuner(init: TunerInit): Tuner {
  const sampler = createTpeSampler(init.space, init.direction, tpeOptions(init.options))
  // as TPESampler(seed=s): np.random.RandomState(s) for itself and another for its RandomSampler
  let rng = {
    tpe: createNumpyRandomState(init.seed >>> 0),
    startup: createNumpyRandomState(init.seed >>> 0),
  }
  return {
    async ask(ctx) {
      return { params: sampler.sample(ctx, rng) }
    },
    async tell() {},
    saveState: () => encodeJsonState({ tpe: rng.tpe.state(), startup: rng.startup.state() }),
    loadState(state) {
      const saved = decodeJsonState(state, tpeStateSchema, 'tpe')
      if (saved.tpe && saved.startup)
        rng = {
          tpe: restoreNumpyRandomState(saved.tpe),
          startup: restoreNumpyRandomState(saved.startup),
        }
      else if (saved.rng) {
        // a study resumed from an earlier version: new streams, seeded from where the old one was
        const seed = saved.rng[0] >>> 0
        rng = {
          tpe: createNumpyRandomState(seed),
          startup: createNumpyRandomState((seed ^ 0x9e3779b9) >>> 0),
        }
      } else
        throw new Error(
          'the saved tpe tuner state does not fit this build of HPO Studio: state.tpe: no random generator state',
        )
    },
  }
}
