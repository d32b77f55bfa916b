// Runs in the tuner worker. `nsga2`: NSGA-II (Deb et al. 2002) as Optuna 3.1's NSGAIISampler runs
// it, so that with `crossover: uniform, mutation: resample` it proposes Optuna's trials for the same
// seed (nsga2Tuner.optuna.test.ts); SBX crossover and polynomial mutation are the textbook operators.
// Constraints: Deb's constrained domination (feasible first, then by total violation).
import { z } from 'zod'
import {
  createNumpyRandomState,
  restoreNumpyRandomState,
  numpyRandomStateSchema,
  type NumpyRandomState,
} from '../../../shared/numpyRandomState.ts'
import type { Config } from '../../../shared/searchSpace.ts'
import { isActive } from '../../../shared/spaceCodec.ts'
import {
  decodeJsonState,
  encodeJsonState,
  tunerDirections,
  type Tuner,
  type TunerInit,
} from '../../../shared/tuner.ts'
import type { FinishedTrial } from '../../../shared/trial.ts'
import { startupValue } from '../tpe/tpeSampler.ts'
import { tpeDimension, type TpeDimension } from '../tpe/tpeDimension.ts'
import { tunerOptions } from '../tunerOptions.ts'
import { betterFor, parentPopulation, type Individual } from './nsga2Population.ts'
import { crossover, polynomialMutation, type VariationRandom } from './nsga2Variation.ts'

const nsga2StateSchema = z.object({ nsga: numpyRandomStateSchema, random: numpyRandomStateSchema })
type Nsga2State = z.infer<typeof nsga2StateSchema>

const asVariationRandom = (rng: NumpyRandomState): VariationRandom => ({
  next: () => rng.next(),
  choice: (n) => rng.interval(n - 1),
})

/** Optuna's IntersectionSearchSpace: the non-constant parameters every complete trial has, in space order. */
function relativeDims(init: TunerInit, finished: readonly FinishedTrial[]): TpeDimension[] {
  const complete = finished.filter((t) => t.state === 'complete')
  if (complete.length === 0) return []
  return init.space.params
    .filter((p) => complete.every((t) => p.name in t.params))
    .map((p) => tpeDimension(p))
    .filter((d): d is TpeDimension => d !== null)
}

export function createNsga2Tuner(init: TunerInit): Tuner {
  const options = tunerOptions('nsga2', init.options)
  const directions = tunerDirections(init)
  const better = betterFor((init.constraints ?? 0) > 0)
  // as NSGAIISampler(seed=s): np.random.RandomState(s) for itself and another for its RandomSampler
  let rng = {
    nsga: createNumpyRandomState(init.seed >>> 0),
    random: createNumpyRandomState(init.seed >>> 0),
  }

  /** The crossover child's values for the relative dimensions, mutated ones left out (drawn anew). */
  function child(finished: readonly FinishedTrial[], parents: readonly Individual[]): Config {
    const dims = relativeDims(init, finished)
    const draw = asVariationRandom(rng.nsga)
    let childParams: Config
    if (rng.nsga.next() < options.crossoverProb) {
      const categorical = dims.filter((d) => d.kind === 'categorical')
      const numeric = dims.filter((d) => d.kind === 'numeric')
      const sbxEta = options.sbxEta ?? (directions.length > 1 ? 20 : 2)
      childParams = crossover(parents, categorical, numeric, { ...options, sbxEta }, draw, better)
    } else {
      const parent = parents[draw.choice(parents.length)].trial.params
      childParams = Object.fromEntries(dims.map((d) => [d.param.name, parent[d.param.name]]))
    }
    const names = Object.keys(childParams)
    const mutationProb = options.mutationProb ?? 1 / Math.max(1, names.length)
    const kept: Config = {}
    for (const name of names) {
      if (rng.nsga.next() >= mutationProb) kept[name] = childParams[name]
      else if (options.mutation === 'polynomial') {
        const dim = dims.find((d) => d.param.name === name) as TpeDimension
        if (dim.kind === 'numeric')
          kept[name] = polynomialMutation(dim, childParams[name], options.mutationEta, draw)
      }
    }
    return kept
  }

  return {
    async ask(ctx) {
      const { generation, parents } = parentPopulation(
        ctx.finished,
        directions,
        options.populationSize,
        better,
      )
      const relative = generation >= 0 ? child(ctx.finished, parents) : {}
      const params: Config = {}
      for (const p of init.space.params) {
        if (!isActive(p, params)) continue
        params[p.name] = p.name in relative ? relative[p.name] : startupValue(p, rng.random)
      }
      return { params, tunerData: { generation: generation + 1 } }
    },
    async tell() {},
    saveState: () =>
      encodeJsonState({ nsga: rng.nsga.state(), random: rng.random.state() } as Nsga2State),
    loadState(state) {
      const saved = decodeJsonState(state, nsga2StateSchema, 'nsga2')
      rng = {
        nsga: restoreNumpyRandomState(saved.nsga),
        random: restoreNumpyRandomState(saved.random),
      }
    },
  }
}
