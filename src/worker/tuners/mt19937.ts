// NumPy's legacy RandomState generator (MT19937 seeded by init_genrand, doubles from two 32-bit
// draws), so that `tpe` draws the same random numbers as Optuna 3.1's TPESampler(seed=s) and
// RandomSampler(seed=s). Its state serializes with the tuner's state blob.
import type { Rng } from '../../shared/rng.ts'

const N = 624
const M = 397

export interface Mt19937State {
  /** The 624 state words, little-endian, base64. */
  key: string
  pos: number
}

export interface Mt19937 extends Omit<Rng, 'state'> {
  state(): Mt19937State
}

/** RandomState(seed) for an integer seed in [0, 2³²). */
export function createMt19937(seed: number): Mt19937 {
  const mt = new Uint32Array(N)
  mt[0] = seed >>> 0
  for (let i = 1; i < N; i++) {
    const prev = mt[i - 1] ^ (mt[i - 1] >>> 30)
    mt[i] = (Math.imul(1812433253, prev) + i) >>> 0
  }
  return fromWords(mt, N)
}

export function restoreMt19937(state: Mt19937State): Mt19937 {
  const bytes = Buffer.from(state.key, 'base64')
  if (bytes.length !== N * 4 || !Number.isInteger(state.pos) || state.pos < 0 || state.pos > N)
    throw new Error('malformed MT19937 state')
  const mt = new Uint32Array(N)
  for (let i = 0; i < N; i++) mt[i] = bytes.readUInt32LE(i * 4)
  return fromWords(mt, state.pos)
}

function fromWords(mt: Uint32Array, startPos: number): Mt19937 {
  let pos = startPos

  function twist(): void {
    for (let i = 0; i < N; i++) {
      const y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7fffffff)
      mt[i] = mt[(i + M) % N] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)
    }
    pos = 0
  }

  function next32(): number {
    if (pos >= N) twist()
    let y = mt[pos++]
    y ^= y >>> 11
    y ^= (y << 7) & 0x9d2c5680
    y ^= (y << 15) & 0xefc60000
    y ^= y >>> 18
    return y >>> 0
  }

  /** random_sample(): 53 random bits, as genrand_res53. */
  const next = (): number => {
    const a = next32() >>> 5
    const b = next32() >>> 6
    return (a * 67108864 + b) / 9007199254740992
  }

  return {
    next,
    normal() {
      // Box–Muller on the same stream (not NumPy's polar method: TPE never draws normals)
      let u = next()
      while (u <= 0) u = next()
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next())
    },
    int(n: number) {
      return Math.floor(next() * n)
    },
    state() {
      const bytes = Buffer.alloc(N * 4)
      for (let i = 0; i < N; i++) bytes.writeUInt32LE(mt[i], i * 4)
      return { key: bytes.toString('base64'), pos }
    },
  }
}
