// Sobol points (Gray-code order, as SciPy), optionally scrambled by a linear matrix scramble plus a
// digital shift (Matoušek), which keeps the (t, m, s)-net structure while randomizing the points.
import { createRng } from '../../../shared/rng.ts'
import { SOBOL_DIRECTIONS } from './sobolDirections.ts'

const BITS = 32
/** Dimensions with Joe–Kuo direction numbers; further coordinates are seeded uniform draws. */
export const SOBOL_MAX_DIMENSIONS = SOBOL_DIRECTIONS.length + 1

export interface SobolSequence {
  readonly dimensions: number
  /** The point with this index (0, 1, 2, …), each coordinate in [0, 1). */
  point(index: number): number[]
}

function directionNumbers(dim: number): Uint32Array {
  const v = new Uint32Array(BITS)
  if (dim === 0) {
    for (let k = 0; k < BITS; k++) v[k] = (1 << (BITS - 1 - k)) >>> 0
    return v
  }
  const [poly, ...m] = SOBOL_DIRECTIONS[dim - 1]
  const s = m.length
  const a = (poly >> 1) & ((1 << (s - 1)) - 1)
  for (let k = 0; k < s; k++) v[k] = (m[k] << (BITS - 1 - k)) >>> 0
  for (let k = s; k < BITS; k++) {
    let x = (v[k - s] ^ (v[k - s] >>> s)) >>> 0
    for (let i = 1; i < s; i++) if ((a >> (s - 1 - i)) & 1) x = (x ^ v[k - i]) >>> 0
    v[k] = x
  }
  return v
}

function parity(x: number): number {
  x ^= x >>> 16
  x ^= x >>> 8
  x ^= x >>> 4
  x ^= x >>> 2
  x ^= x >>> 1
  return x & 1
}

/** Applies a random lower-triangular binary matrix (unit diagonal) to every direction number's digits. */
function scrambleDirections(v: Uint32Array, next32: () => number): Uint32Array {
  const rows = new Uint32Array(BITS)
  for (let p = 0; p < BITS; p++) {
    const diagonal = (1 << (BITS - 1 - p)) >>> 0
    // digits q < p sit at bit positions above the diagonal's
    const above = p === 0 ? 0 : ~((1 << (BITS - p)) - 1) >>> 0
    rows[p] = ((next32() & above) | diagonal) >>> 0
  }
  const out = new Uint32Array(BITS)
  for (let k = 0; k < BITS; k++) {
    let x = 0
    for (let p = 0; p < BITS; p++) if (parity(v[k] & rows[p])) x |= 1 << (BITS - 1 - p)
    out[k] = x >>> 0
  }
  return out
}

export function createSobolSequence(
  dimensions: number,
  options: { scramble: boolean; seed: number },
): SobolSequence {
  const rng = createRng(options.seed)
  const next32 = (): number => Math.floor(rng.next() * 2 ** 32) >>> 0
  const sobolDims = Math.min(dimensions, SOBOL_MAX_DIMENSIONS)
  const directions: Uint32Array[] = []
  const shifts = new Uint32Array(sobolDims)
  for (let d = 0; d < sobolDims; d++) {
    const v = directionNumbers(d)
    directions.push(options.scramble ? scrambleDirections(v, next32) : v)
    shifts[d] = options.scramble ? next32() : 0
  }
  const extraSeed = next32()
  return {
    dimensions,
    point(index: number): number[] {
      if (!Number.isInteger(index) || index < 0 || index >= 2 ** BITS)
        throw new RangeError(`Sobol index must be an integer in [0, 2^32), got ${index}`)
      const gray = (index ^ Math.floor(index / 2)) >>> 0
      const out: number[] = []
      for (let d = 0; d < sobolDims; d++) {
        let x = shifts[d]
        for (let k = 0; k < BITS; k++) if ((gray >>> k) & 1) x ^= directions[d][k]
        out.push((x >>> 0) / 2 ** BITS)
      }
      if (dimensions > sobolDims) {
        const extra = createRng((extraSeed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0)
        for (let d = sobolDims; d < dimensions; d++) out.push(extra.next())
      }
      return out
    },
  }
}
