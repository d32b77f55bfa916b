// The race's statistics: a bootstrap interval of the median over seeds, and the exact Wilcoxon
// signed-rank test of paired runs (same task, same seed) that decides win / tie / loss.
import { createRng } from '../src/shared/rng.ts'
import { median, quantile } from './benchUtil.ts'

/** 95% percentile-bootstrap interval of the median (resampling seeds), seeded so a run reproduces. */
export function bootstrapMedian(xs: readonly number[], resamples = 2000): [number, number] {
  if (xs.length === 0) return [NaN, NaN]
  const rng = createRng(12345)
  const medians: number[] = []
  const sample = new Array<number>(xs.length)
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < xs.length; i++) sample[i] = xs[rng.int(xs.length)]
    medians.push(median(sample))
  }
  return [quantile(medians, 0.025), quantile(medians, 0.975)]
}

/**
 * Two-sided p-value of the Wilcoxon signed-rank test of paired differences (zeros dropped, tied
 * |d| given average ranks), exact: the null distribution of the positive rank sum by dynamic
 * programming over the (doubled, so integer) ranks. 1 when every difference is zero.
 */
export function wilcoxonSignedRank(differences: readonly number[]): {
  p: number
  n: number
  /** Sum of the ranks of positive differences, W+. */
  wPlus: number
  /** Its expectation under the null, n(n+1)/4. */
  expected: number
} {
  // differences this small relative to the values are float noise, not a difference
  const d = differences.filter((x) => Math.abs(x) > 1e-12)
  const n = d.length
  if (n === 0) return { p: 1, n, wPlus: 0, expected: 0 }
  const order = d.map((_, i) => i).sort((a, b) => Math.abs(d[a]) - Math.abs(d[b]))
  const rank2 = new Array<number>(n)
  for (let i = 0; i < n;) {
    let j = i
    while (j + 1 < n && Math.abs(d[order[j + 1]]) === Math.abs(d[order[i]])) j++
    // average rank of positions i..j (1-based), doubled: (i + 1 + j + 1)
    for (let k = i; k <= j; k++) rank2[order[k]] = i + j + 2
    i = j + 1
  }
  const total = rank2.reduce((a, b) => a + b, 0)
  // counts[s] = number of sign assignments whose positive doubled-rank sum is s
  let counts = new Float64Array(total + 1)
  counts[0] = 1
  for (const r of rank2) {
    const next = Float64Array.from(counts)
    for (let s = 0; s + r <= total; s++) if (counts[s]) next[s + r] += counts[s]
    counts = next
  }
  const wPlus2 = d.reduce((a, x, i) => a + (x > 0 ? rank2[i] : 0), 0)
  const mean2 = total / 2
  const distance = Math.abs(wPlus2 - mean2)
  let extreme = 0
  for (let s = 0; s <= total; s++) if (Math.abs(s - mean2) >= distance - 1e-9) extreme += counts[s]
  const p = Math.min(1, extreme / 2 ** n)
  return { p, n, wPlus: wPlus2 / 2, expected: total / 4 }
}

export type Verdict = 'win' | 'tie' | 'loss'

/**
 * A tuner against a reference on paired regrets (lower is better): win or loss when the signed-rank
 * test rejects equality at `alpha` (two-sided), in the direction of the rank sums; tie otherwise.
 */
export function pairedVerdict(
  mine: readonly number[],
  reference: readonly number[],
  alpha = 0.05,
): { verdict: Verdict; p: number } {
  const diffs = mine.map((x, i) => x - reference[i])
  const { p, n, wPlus, expected } = wilcoxonSignedRank(diffs)
  if (n === 0 || p >= alpha) return { verdict: 'tie', p }
  return { verdict: wPlus < expected ? 'win' : 'loss', p }
}

/** First evaluation (1-based) at which a best-so-far curve (losses) reaches `target`; Infinity if never. */
export function evaluationsToReach(bestSoFar: readonly number[], target: number): number {
  const tolerance = 1e-12 * Math.max(1, Math.abs(target))
  const i = bestSoFar.findIndex((v) => v <= target + tolerance)
  return i < 0 ? Infinity : i + 1
}
