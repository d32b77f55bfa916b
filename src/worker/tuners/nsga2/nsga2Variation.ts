// Runs in the tuner worker. NSGA-II's child from two parents, in Optuna 3.1's order of draws:
// binary tournaments pick the parents, categoricals swap uniformly, numeric parameters (in Optuna's
// internal coordinates: log for log ones, ± half a step for stepped and integer ones) cross over
// uniformly or by simulated binary crossover (SBX). Mutation drops a parameter so that it is drawn
// anew (Optuna), or moves a numeric one by Deb's polynomial mutation.
import type { Config, ParamSpec, ParamValue } from '../../../shared/searchSpace.ts'
import { fromInternal, toInternal, type TpeDimension } from '../tpe/tpeDimension.ts'
import type { Better, Individual } from './nsga2Population.ts'

export interface VariationOptions {
  crossover: 'uniform' | 'sbx'
  /** SBX's distribution index (Optuna: 20 for several objectives, 2 for one). */
  sbxEta: number
  swappingProb: number
  mutation: 'resample' | 'polynomial'
  mutationEta: number
}

/** Draws in [0, 1) and integers in [0, n) (NumPy's random_sample and choice(n)). */
export interface VariationRandom {
  next(): number
  choice(n: number): number
}

type Dim = TpeDimension & { param: ParamSpec }

/** Optuna's _select_parent: the better of two drawn with replacement (the second if neither dominates). */
function tournament(pool: readonly Individual[], rng: VariationRandom, better: Better): Individual {
  const a = pool[rng.choice(pool.length)]
  const b = pool[rng.choice(pool.length)]
  return better(a, b) ? a : b
}

function sbx(x1: number[], x2: number[], dims: readonly Dim[], eta: number, rng: VariationRandom) {
  const us = dims.map(() => rng.next())
  return dims.map((dim, i) => {
    const lo = (dim as Extract<TpeDimension, { kind: 'numeric' }>).low
    const hi = (dim as Extract<TpeDimension, { kind: 'numeric' }>).high
    const min = Math.min(x1[i], x2[i])
    const max = Math.max(x1[i], x2[i])
    const diff = Math.max(max - min, 1e-10)
    const alpha1 = 2 - (1 + (2 * (min - lo)) / diff) ** -(eta + 1)
    const alpha2 = 2 - (1 + (2 * (hi - max)) / diff) ** -(eta + 1)
    const betaq = (alpha: number): number =>
      us[i] > 1 / alpha
        ? (1 / (2 - us[i] * alpha)) ** (1 / (eta + 1))
        : (us[i] * alpha) ** (1 / (eta + 1))
    const c1 = 0.5 * (min + max - betaq(alpha1) * diff)
    const c2 = 0.5 * (min + max + betaq(alpha2) * diff)
    if (rng.next() < 0.5) return rng.next() < 0.5 ? c1 : c2
    return rng.next() < 0.5 ? x1[i] : x2[i]
  })
}

/** The child's values of the given dimensions (categoricals first, then numeric, as Optuna builds it). */
export function crossover(
  parentPool: readonly Individual[],
  categorical: readonly Dim[],
  numeric: readonly Dim[],
  options: VariationOptions,
  rng: VariationRandom,
  better: Better,
): Config {
  const first = tournament(parentPool, rng, better)
  const second = tournament(
    parentPool.filter((p) => p !== first),
    rng,
    better,
  )
  const parents = [first.trial.params, second.trial.params]
  const child: Config = {}
  const masks = categorical.map(() => (rng.next() >= options.swappingProb ? 1 : 0))
  categorical.forEach((d, i) => (child[d.param.name] = parents[masks[i]][d.param.name]))
  if (numeric.length === 0) return child
  const x = parents.map((p) => numeric.map((d) => toInternal(d, p[d.param.name])))
  const values =
    options.crossover === 'sbx'
      ? sbx(x[0], x[1], numeric, options.sbxEta, rng)
      : numeric.map(() => rng.next()).map((u, i) => x[u >= options.swappingProb ? 1 : 0][i])
  numeric.forEach((d, i) => (child[d.param.name] = fromInternal(d, values[i])))
  return child
}

/** Deb's polynomial mutation of a numeric value in its internal coordinates. */
export function polynomialMutation(
  dim: Dim,
  value: ParamValue,
  eta: number,
  rng: VariationRandom,
): ParamValue {
  const { low, high } = dim as Extract<TpeDimension, { kind: 'numeric' }>
  const x = toInternal(dim, value)
  const width = high - low
  const d1 = (x - low) / width
  const d2 = (high - x) / width
  const u = rng.next()
  const power = 1 / (eta + 1)
  const delta =
    u < 0.5
      ? (2 * u + (1 - 2 * u) * (1 - d1) ** (eta + 1)) ** power - 1
      : 1 - (2 * (1 - u) + 2 * (u - 0.5) * (1 - d2) ** (eta + 1)) ** power
  return fromInternal(dim, Math.min(high, Math.max(low, x + delta * width)))
}
