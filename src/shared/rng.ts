import { z } from 'zod'

/**
 * Seeded pseudo-random numbers with a state that serializes to four integers, so a tuner can
 * save its RNG with its state blob and continue the exact sequence after a resume (sfc32).
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number
  /** Standard normal (Box–Muller, no cached spare so the state stays four integers). */
  normal(): number
  /** Uniform integer in [0, n). */
  int(n: number): number
  state(): RngState
}

export const rngStateSchema = z.tuple([z.number(), z.number(), z.number(), z.number()])
export type RngState = z.infer<typeof rngStateSchema>

export function createRng(seed: number): Rng {
  // splitmix32 spreads any seed (including 0 and small integers) over the whole state
  let s = seed >>> 0
  const mix = (): number => {
    s = (s + 0x9e3779b9) >>> 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    return (z ^ (z >>> 16)) >>> 0
  }
  return restoreRng([mix(), mix(), mix(), mix()])
}

export function restoreRng(initial: RngState): Rng {
  let [a, b, c, d] = initial.map((x) => x >>> 0)
  const next32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0
    d = (d + 1) >>> 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) >>> 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) >>> 0
    return t
  }
  const next = (): number => next32() / 4294967296
  return {
    next,
    normal() {
      let u = next()
      while (u <= 0) u = next()
      const v = next()
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
    },
    int(n: number) {
      return Math.floor(next() * n)
    },
    state() {
      return [a, b, c, d]
    },
  }
}

/** Derives an independent seed for a sub-stream (e.g. trial number n of a study seed). */
export function deriveSeed(seed: number, stream: number): number {
  const rng = createRng((seed ^ Math.imul(stream + 1, 0x27d4eb2d)) >>> 0)
  return Math.floor(rng.next() * 2 ** 31)
}
