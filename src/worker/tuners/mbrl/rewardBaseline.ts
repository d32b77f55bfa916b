// Runs in the tuner worker: the advantage of a reward. The paper's way (spec §4): a baseline b and
// scale s, kept separately for real and for surrogate-predicted rewards; or ours: ranks, which give
// PPO the same signal at any scale of the scores.
import { averageRanks } from '../../math/averageRanks.ts'

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

/**
 * Rank-normalized advantages of a batch: centred ranks scaled to unit standard deviation, so PPO
 * sees the same signal whatever the scale of the scores (a batch of equal rewards gives zeros).
 */
export function rankAdvantages(rewards: readonly number[]): number[] {
  const r = averageRanks(rewards)
  const mean = (rewards.length - 1) / 2
  const sd = Math.sqrt(r.reduce((a, x) => a + (x - mean) ** 2, 0) / Math.max(1, r.length))
  return r.map((x) => (sd > 0 ? (x - mean) / sd : 0))
}

/**
 * The advantage of one real reward by its quantile among every real reward so far (itself
 * included): (q − ½)·√12, the unit-variance scale of a uniform quantile; 0 for the first.
 */
export function quantileAdvantage(reward: number, history: readonly number[]): number {
  if (history.length <= 1) return 0
  let below = 0
  let ties = 0
  for (const r of history) {
    if (r < reward) below++
    else if (r === reward) ties++
  }
  const q = (below + 0.5 * (ties - 1)) / (history.length - 1)
  return (q - 0.5) * Math.sqrt(12)
}
