// The GP tuner's acquisition: log expected improvement, maximized by screening random points and
// perturbations of the best trials, then a shrinking-radius local search from the top few.
import type { Rng } from '../../../shared/rng.ts'
import type { GaussianProcess } from './gaussianProcess.ts'
import type { GpEncoding } from './gpEncoding.ts'
import { logH } from '../../math/normalDistribution.ts'

/** log EI for minimization at each point, from the posterior; −Infinity where nothing can improve. */
export function logExpectedImprovement(
  gp: GaussianProcess,
  xs: readonly Float64Array[],
  best: number,
): Float64Array {
  const { mean, variance } = gp.posterior(xs)
  return mean.map((mu, i) => {
    const sigma = Math.sqrt(Math.max(variance[i], 1e-20))
    return Math.log(sigma) + logH((best - mu) / sigma)
  })
}

function perturb(
  x: Float64Array,
  radius: number,
  encoding: GpEncoding,
  rng: Rng,
  flipProbability: number,
): Float64Array {
  const y = Float64Array.from(x)
  for (let d = 0; d < y.length; d++) {
    if (!encoding.oneHot[d]) y[d] = Math.min(1, Math.max(0, y[d] + radius * rng.normal()))
  }
  // a categorical flip: set a random one-hot coordinate high, decode picks it
  if (encoding.oneHot.some(Boolean) && rng.next() < flipProbability) {
    const cols = encoding.oneHot.flatMap((h, d) => (h ? [d] : []))
    y[cols[rng.int(cols.length)]] = 2
  }
  return encoding.snap(y)
}

/** Maximizes the acquisition: screening of random and near-best points, then a local search from the top few. */
export function maximizeAcquisition(
  acquisition: (xs: readonly Float64Array[]) => Float64Array,
  encoding: GpEncoding,
  bestObserved: readonly Float64Array[],
  nCandidates: number,
  rng: Rng,
): Float64Array {
  const candidates: Float64Array[] = []
  for (let i = 0; i < nCandidates; i++) candidates.push(encoding.random(() => rng.next()))
  for (const x of bestObserved)
    for (let i = 0; i < 20; i++) candidates.push(perturb(x, 0.05, encoding, rng, 0.3))
  const scores = acquisition(candidates)
  const order = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a] || a - b)
  let best = candidates[order[0]]
  let bestScore = scores[order[0]]
  for (const start of order.slice(0, 3)) {
    let x = candidates[start]
    let score = scores[start]
    let radius = 0.05
    for (let step = 0; step < 40 && radius > 1e-4; step++) {
      const batch = Array.from({ length: 4 }, () =>
        perturb(x, radius, encoding, rng, 1 / Math.max(2, encoding.width)),
      )
      const s = acquisition(batch)
      let improved = false
      s.forEach((v, i) => {
        if (v > score) {
          score = v
          x = batch[i]
          improved = true
        }
      })
      if (!improved) radius *= 0.6
    }
    if (score > bestScore) {
      best = x
      bestScore = score
    }
  }
  return best
}
