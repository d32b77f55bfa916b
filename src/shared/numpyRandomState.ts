// NumPy's legacy RandomState (MT19937 seeded by init_genrand), the parts our reproductions need:
// scikit-learn's train_test_split (`permutation`, `choice` without replacement) for the validation
// split, and Optuna's TPESampler and RandomSampler (`random_sample`) for `tpe`. The state
// serializes, so a tuner continues the exact sequence after a resume.
import { z } from 'zod'

export interface NumpyRandomState {
  /** A uniformly random uint32 (genrand_int32). */
  nextUint32(): number
  /** random_sample(): uniform in [0, 1) from two draws, 53 random bits (genrand_res53). */
  next(): number
  /** Uniform integer in [0, max], by numpy's masked rejection (random_interval). */
  interval(max: number): number
  /** numpy's `permutation(n)` (an int) or `permutation(array)` (a shuffled copy). */
  permutation(x: number | readonly number[]): number[]
  /** numpy's `choice(values, size, replace=False)` with uniform probabilities. */
  choiceWithoutReplacement(values: readonly number[], size: number): number[]
  state(): NumpyRandomStateJson
}

export const numpyRandomStateSchema = z.object({
  /** The 624 state words, little-endian, base64. */
  key: z.string(),
  pos: z.number().int().min(0),
})
export type NumpyRandomStateJson = z.infer<typeof numpyRandomStateSchema>

const N = 624
const M = 397

/** RandomState(seed) for an integer seed in [0, 2³²). */
export function createNumpyRandomState(seed: number): NumpyRandomState {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new RangeError(`numpy seeds are integers in [0, 2**32 - 1], got ${seed}`)
  const mt = new Uint32Array(N)
  mt[0] = seed >>> 0
  for (let i = 1; i < N; i++) {
    const prev = mt[i - 1] ^ (mt[i - 1] >>> 30)
    mt[i] = (Math.imul(1812433253, prev) + i) >>> 0
  }
  return fromWords(mt, N)
}

export function restoreNumpyRandomState(state: NumpyRandomStateJson): NumpyRandomState {
  let bytes: string
  try {
    bytes = atob(state.key)
  } catch {
    bytes = ''
  }
  if (bytes.length !== N * 4 || !Number.isInteger(state.pos) || state.pos < 0 || state.pos > N)
    throw new Error('malformed NumPy RandomState state')
  const view = new DataView(Uint8Array.from(bytes, (c) => c.charCodeAt(0)).buffer)
  const mt = Uint32Array.from({ length: N }, (_, i) => view.getUint32(i * 4, true))
  return fromWords(mt, state.pos)
}

function fromWords(mt: Uint32Array, startPos: number): NumpyRandomState {
  let pos = startPos

  const twist = (): void => {
    for (let i = 0; i < N; i++) {
      const y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7fffffff)
      mt[i] = mt[(i + M) % N] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)
    }
    pos = 0
  }

  const nextUint32 = (): number => {
    if (pos >= N) twist()
    let y = mt[pos++]
    y ^= y >>> 11
    y ^= (y << 7) & 0x9d2c5680
    y ^= (y << 15) & 0xefc60000
    y ^= y >>> 18
    return y >>> 0
  }

  const interval = (max: number): number => {
    if (max === 0) return 0
    if (max > 0xffffffff) throw new RangeError('interval() supports max < 2**32 only')
    let mask = max
    mask |= mask >>> 1
    mask |= mask >>> 2
    mask |= mask >>> 4
    mask |= mask >>> 8
    mask |= mask >>> 16
    mask >>>= 0
    let value: number
    while ((value = (nextUint32() & mask) >>> 0) > max);
    return value
  }

  const shuffle = (arr: number[]): number[] => {
    for (let i = arr.length - 1; i >= 1; i--) {
      const j = interval(i)
      const t = arr[i]
      arr[i] = arr[j]
      arr[j] = t
    }
    return arr
  }

  const permutation = (x: number | readonly number[]): number[] =>
    shuffle(typeof x === 'number' ? Array.from({ length: x }, (_, i) => i) : [...x])

  return {
    nextUint32,
    next() {
      const a = nextUint32() >>> 5
      const b = nextUint32() >>> 6
      return (a * 67108864 + b) / 9007199254740992
    },
    interval,
    permutation,
    choiceWithoutReplacement(values, size) {
      if (size > values.length)
        throw new RangeError(`cannot take ${size} of ${values.length} without replacement`)
      return permutation(values.length)
        .slice(0, size)
        .map((i) => values[i])
    },
    state() {
      const view = new DataView(new ArrayBuffer(N * 4))
      mt.forEach((w, i) => view.setUint32(i * 4, w, true))
      let bytes = ''
      for (let i = 0; i < N * 4; i++) bytes += String.fromCharCode(view.getUint8(i))
      return { key: btoa(bytes), pos }
    },
  }
}
