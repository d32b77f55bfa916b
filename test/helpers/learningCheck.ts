// Runs in-process for the learning tests: mbrl against uniform random search on a synthetic function
// with the fixed seeds 0–4 and 100 real evaluations.
import { createRng } from '../../src/shared/rng.ts'
import { sampleConfig } from '../../src/shared/spaceCodec.ts'
import type { SyntheticFunctionName } from '../../src/shared/syntheticFunctions.ts'
import { createMbrlTuner } from '../../src/worker/tuners/mbrl/mbrlTuner.ts'
import { runOnSynthetic, type MakeTuner } from './runOnSynthetic.ts'

export const LEARNING_SEEDS = [0, 1, 2, 3, 4]
export const LEARNING_BUDGET = 100

/** Random search as the learning test defines it: sampleConfig with createRng(seed). */
export const uniformRandom: MakeTuner = (space, seed) => {
  const rng = createRng(seed)
  return {
    ask: async () => ({ params: sampleConfig(space, rng) }),
    tell: async () => {},
    saveState: () => new Uint8Array(),
    loadState: () => {},
  }
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

export interface LearningResult {
  mbrl: number[]
  random: number[]
  mbrlMedian: number
  randomMedian: number
  ratio: number
  seconds: number
}

export async function learningCheck(
  name: SyntheticFunctionName,
  options: Record<string, unknown> = {},
): Promise<LearningResult> {
  const t0 = performance.now()
  const mbrl: MakeTuner = (space, seed) =>
    createMbrlTuner({ space, seed, direction: 'minimize', options, kind: 'mbrl' })
  const regrets = async (make: MakeTuner) => {
    const out: number[] = []
    for (const seed of LEARNING_SEEDS)
      out.push((await runOnSynthetic(name, make, seed, LEARNING_BUDGET)).regret)
    return out
  }
  const m = await regrets(mbrl)
  const r = await regrets(uniformRandom)
  return {
    mbrl: m,
    random: r,
    mbrlMedian: median(m),
    randomMedian: median(r),
    ratio: median(m) / median(r),
    seconds: (performance.now() - t0) / 1000,
  }
}
