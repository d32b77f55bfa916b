// TPE as Optuna 3.1's TPESampler does it: random until nStartupTrials finished trials, then for
// each parameter (or jointly for the always-active ones when multivariate) draw nEiCandidates from
// the "below" estimator l(x) and keep the one maximizing log l(x) − log g(x). Given NumPy's
// generators seeded as Optuna seeds them, it draws Optuna's numbers in Optuna's order, univariate or
// multivariate, so a study reproduces Optuna 3.1.1's trials for the same seed
// (tpeTuner.optuna.test.ts) until an exact tie Optuna breaks by machine-dependent rounding.
import type { Rng } from '../../../shared/rng.ts'
import {
  paramChoices,
  type Config,
  type ParamSpec,
  type ParamValue,
  type SearchSpace,
} from '../../../shared/searchSpace.ts'
import { decodeUnit, isActive } from '../../../shared/spaceCodec.ts'
import type { Direction } from '../../../shared/study.ts'
import type { TunerContext } from '../../../shared/tuner.ts'
import { createParzenEstimator, type ParzenOptions } from './parzenEstimator.ts'
import {
  fromInternal,
  nearestValid,
  toInternal,
  tpeDimension,
  type TpeDimension,
} from './tpeDimension.ts'
import {
  collectObservations,
  splitObservations,
  tpeGamma,
  type TpeObservation,
} from './tpeObservations.ts'

export interface TpeOptions {
  nStartupTrials: number
  nEiCandidates: number
  priorWeight: number
  considerEndpoints: boolean
  multivariate: boolean
  constantLiar: boolean
  gammaFraction: number
  gammaMax: number
}

export interface TpeSampler {
  /**
   * Samples the parameters of the space not given in `fixed`, deciding activity in space order
   * (fixed values count as decided). Every draw comes from `rng`.
   */
  sample(ctx: TunerContext, rng: TpeRandom, fixed?: Readonly<Config>): Config
}

/** Optuna's two streams: TPESampler's own and its RandomSampler's for the start-up trials. */
export interface TpeRandom {
  tpe: Pick<Rng, 'next'>
  startup: Pick<Rng, 'next'>
}

interface Group {
  params: ParamSpec[]
  dims: TpeDimension[]
}

export function createTpeSampler(
  space: SearchSpace,
  direction: Direction,
  options: TpeOptions,
): TpeSampler {
  const parzen: ParzenOptions = {
    priorWeight: options.priorWeight,
    considerMagicClip: true,
    considerEndpoints: options.considerEndpoints,
    multivariate: false,
  }

  /** Draws candidates from l(x) over the group's dimensions and returns the best by log l − log g. */
  function sampleGroup(
    group: Group,
    observations: readonly TpeObservation[],
    split: { below: number[]; above: number[] },
    rng: Pick<Rng, 'next'>,
    multivariate: boolean,
  ): ParamValue[] {
    const pick = (indices: number[]): number[][] => {
      const rows = indices.filter((i) =>
        group.params.every((p) => p.name in observations[i].params),
      )
      return group.dims.map((dim) =>
        rows.map((i) => toInternal(dim, observations[i].params[dim.param.name])),
      )
    }
    const opts = { ...parzen, multivariate }
    const below = createParzenEstimator(pick(split.below), group.dims, opts)
    const above = createParzenEstimator(pick(split.above), group.dims, opts)
    const candidates = below.sample(rng, options.nEiCandidates)
    const logL = below.logPdf(candidates)
    const logG = above.logPdf(candidates)
    let best = 0
    for (let i = 1; i < logL.length; i++) if (logL[i] - logG[i] > logL[best] - logG[best]) best = i
    return group.dims.map((dim, d) => fromInternal(dim, candidates[d][best]))
  }

  return {
    sample(ctx, rng, fixed = {}) {
      const observations = collectObservations(ctx, direction, options.constantLiar)
      const n = observations.filter((o) => !o.pending).length
      const config: Config = {}
      const isFixed = (p: ParamSpec): boolean => p.name in fixed && isActive(p, config)

      if (n < options.nStartupTrials) {
        for (const p of space.params) {
          if (isFixed(p)) config[p.name] = fixed[p.name]
          else if (isActive(p, config)) config[p.name] = startupValue(p, rng.startup)
        }
        return config
      }

      const split = splitObservations(
        observations,
        tpeGamma(n, options.gammaFraction, options.gammaMax),
      )
      const joint = new Map<string, ParamValue>()
      if (options.multivariate) {
        const params = space.params.filter(
          (p) => !p.when && !(p.name in fixed) && tpeDimension(p) !== null,
        )
        if (params.length > 0) {
          const dims = params.map((p) => tpeDimension(p) as TpeDimension)
          const values = sampleGroup({ params, dims }, observations, split, rng.tpe, true)
          params.forEach((p, i) => joint.set(p.name, values[i]))
        }
      }
      for (const p of space.params) {
        if (isFixed(p)) {
          config[p.name] = fixed[p.name]
          continue
        }
        if (!isActive(p, config)) continue
        const known = joint.get(p.name)
        if (known !== undefined) {
          config[p.name] = known
          continue
        }
        const dim = tpeDimension(p)
        if (dim === null) {
          config[p.name] = decodeUnit(p, 0.5)
          continue
        }
        config[p.name] = sampleGroup(
          { params: [p], dims: [dim] },
          observations,
          split,
          rng.tpe,
          false,
        )[0]
      }
      return config
    },
  }
}

/** Optuna 3.1's RandomSampler: one uniform draw per bound of its search-space transform. */
function startupValue(p: ParamSpec, rng: Pick<Rng, 'next'>): ParamValue {
  const choices = paramChoices(p)
  if (choices) {
    let best = 0
    let top = -1
    for (let c = 0; c < choices.length; c++) {
      const u = rng.next()
      if (u > top) [best, top] = [c, u]
    }
    return choices[best]
  }
  if (p.type !== 'float' && p.type !== 'int') return decodeUnit(p, rng.next())
  const uniform = (low: number, high: number): number => low + (high - low) * rng.next()
  let v: number
  if (p.log && p.type === 'float')
    v = Math.min(Math.exp(uniform(Math.log(p.low), Math.log(p.high))), below(p.high))
  else if (p.log)
    v = roundHalfEven(Math.exp(uniform(Math.log(p.low - 0.5), Math.log(p.high + 0.5))))
  else {
    const step = p.step ?? (p.type === 'int' ? 1 : undefined)
    if (step === undefined) v = Math.min(uniform(p.low, p.high), below(p.high))
    else
      v =
        roundHalfEven((uniform(p.low - 0.5 * step, p.high + 0.5 * step) - p.low) / step) * step +
        p.low
  }
  return nearestValid(p, v)
}

/** The largest double below x (numpy.nextafter(x, x − 1)). */
function below(x: number): number {
  if (x === 0) return -Number.MIN_VALUE
  const bits = new BigInt64Array(Float64Array.of(x).buffer)
  bits[0] += x > 0 ? -1n : 1n
  return new Float64Array(bits.buffer)[0]
}

/** numpy.round: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const r = Math.round(x)
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r
}
