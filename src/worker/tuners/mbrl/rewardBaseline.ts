// Runs in the tuner worker: the reward baseline b and scale s of the advantage (spec §4), kept
// separately for real and for surrogate-predicted rewards.

/** EMA(0.9) of rewards and of their squared deviation (West/Finch incremental EMA variance). */
export interface RewardBaseline {
  mean: number
  variance: number
  count: number
}

const DECAY = 0.9
const SCALE_EPSILON = 1e-8

export const emptyBaseline = (): RewardBaseline => ({ mean: 0, variance: 0, count: 0 })

export function updateBaseline(b: RewardBaseline, reward: number): RewardBaseline {
  if (b.count === 0) return { mean: reward, variance: 0, count: 1 }
  const diff = reward - b.mean
  const alpha = 1 - DECAY
  return {
    mean: b.mean + alpha * diff,
    variance: DECAY * (b.variance + alpha * diff * diff),
    count: b.count + 1,
  }
}

/**
 * Advantages A = (r − b)/(s + 1e-8) for a batch, and the baseline after it. b is the mean before the
 * batch (so it does not depend on the batch's actions; the batch mean for the very first one) and s
 * the spread after it, which bounds |A| by about 1/√(0.09) ≈ 3.3 and gives the very first reward A = 0.
 */
export function advantages(
  b: RewardBaseline,
  rewards: readonly number[],
): { advantages: number[]; baseline: RewardBaseline } {
  const center = b.count > 0 ? b.mean : rewards.reduce((a, r) => a + r, 0) / rewards.length
  let next = b
  for (const r of rewards) next = updateBaseline(next, r)
  const scale = Math.sqrt(next.variance) + SCALE_EPSILON
  return { advantages: rewards.map((r) => (r - center) / scale), baseline: next }
}
