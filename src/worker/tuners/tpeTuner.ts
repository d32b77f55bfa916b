// Runs in the tuner worker. TPE with Optuna 3.1's TPESampler defaults as the reference behaviour
// (see tpeSampler.ts); also the proposal half of `bohb` (TPE + the hyperband pruner, as Optuna
// approximates BOHB: pruned trials rank after complete ones, by the step they reached).
import { createRng, restoreRng, type RngState } from '../../shared/rng.ts'
import { decodeJsonState, encodeJsonState, type Tuner, type TunerInit } from '../../shared/tuner.ts'
import { createTpeSampler, type TpeOptions } from './tpeSampler.ts'
import { tunerOptions } from './tunerOptions.ts'

/** The TPE options of a `tpe` or `bohb` tuner section, defaults filled in. */
export function tpeOptions(options: Record<string, unknown>): TpeOptions {
  const { kind: _kind, ...rest } = tunerOptions('tpe', options)
  return rest
}

export function createTpeTuner(init: TunerInit): Tuner {
  const sampler = createTpeSampler(init.space, init.direction, tpeOptions(init.options))
  let rng = createRng(init.seed)
  return {
    async ask(ctx) {
      return { params: sampler.sample(ctx, rng) }
    },
    async tell() {},
    saveState: () => encodeJsonState({ rng: rng.state() }),
    loadState(state) {
      rng = restoreRng(decodeJsonState<{ rng: RngState }>(state).rng)
    },
  }
}
