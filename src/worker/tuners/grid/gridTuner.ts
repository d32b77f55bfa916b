// Runs in the tuner worker. Visits every point of a grid once, in a seeded pseudo-random order
// (an affine permutation of the grid index, so no grid is ever materialized), skipping points
// already tried or pending; once every point has been tried it starts over.
import { z } from 'zod'
import { createRng } from '../../../shared/rng.ts'
import {
  paramChoices,
  type Config,
  type ParamSpec,
  type ParamValue,
  type SearchSpace,
} from '../../../shared/searchSpace.ts'
import { configKey, decodeUnit, isActive } from '../../../shared/spaceCodec.ts'
import {
  decodeJsonState,
  encodeJsonState,
  type Tuner,
  type TunerInit,
} from '../../../shared/tuner.ts'
import { tunerOptions } from '../tunerOptions.ts'

/** The grid values of one parameter: every choice, every lattice value when there are few, else evenly spaced (log-spaced for log). */
export function gridValues(p: ParamSpec, pointsPerFloat: number): ParamValue[] {
  const choices = paramChoices(p)
  if (choices) return choices
  if (p.type !== 'float' && p.type !== 'int') return []
  if (p.low === p.high) return [p.low]
  const count =
    p.step !== undefined && !p.log ? Math.floor((p.high - p.low) / p.step + 1e-9) + 1 : Infinity
  const n = Math.min(count, pointsPerFloat)
  const values: ParamValue[] = []
  for (let i = 0; i < n; i++) {
    // exact endpoints: decoding 0 or 1 through exp/log can land an ulp inside the range
    const exact = p.step === undefined && (i === 0 || i === n - 1)
    const v = exact ? (i === 0 ? p.low : p.high) : decodeUnit(p, i / (n - 1))
    if (!values.includes(v)) values.push(v)
  }
  return values
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b]
  return a
}

export interface Grid {
  size: number
  /** The configuration at a grid index (inactive parameters dropped, so indices can coincide). */
  at(index: number): Config
}

export function createGrid(space: SearchSpace, pointsPerFloat: number): Grid {
  const values = space.params.map((p) => gridValues(p, pointsPerFloat))
  const size = values.reduce((n, v) => n * v.length, 1)
  return {
    size,
    at(index) {
      const config: Config = {}
      let rest = index
      space.params.forEach((p, i) => {
        const k = rest % values[i].length
        rest = Math.floor(rest / values[i].length)
        if (isActive(p, config)) config[p.name] = values[i][k]
      })
      return config
    },
  }
}

export function createGridTuner(init: TunerInit): Tuner {
  const opts = tunerOptions('grid', init.options)
  const grid = createGrid(init.space, opts.pointsPerFloat)
  if (!Number.isSafeInteger(grid.size))
    throw new Error(
      `the grid has ${grid.size} points, too many to enumerate; lower pointsPerFloat or use another tuner`,
    )
  const rng = createRng(init.seed)
  const n = BigInt(grid.size)
  let a = 1n
  if (grid.size > 2) {
    do a = 1n + BigInt(Math.floor(rng.next() * (grid.size - 1)))
    while (gcd(a, n) !== 1n)
  }
  const c = BigInt(Math.floor(rng.next() * grid.size))
  const indexAt = (i: number): number => Number((a * BigInt(i % grid.size) + c) % n)
  let counter = 0

  return {
    async ask(ctx) {
      const seen = new Set([...ctx.finished, ...ctx.pending].map((t) => configKey(t.params)))
      for (let tries = 0; tries < grid.size; tries++) {
        const config = grid.at(indexAt(counter++))
        if (!seen.has(configKey(config))) return { params: config }
      }
      return { params: grid.at(indexAt(counter++)) }
    },
    async tell() {},
    saveState: () => encodeJsonState({ counter }),
    loadState(state) {
      counter = decodeJsonState(
        state,
        z.object({ counter: z.number().int().min(0) }),
        'grid',
      ).counter
    },
  }
}
