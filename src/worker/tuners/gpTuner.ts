// Runs in the tuner worker. Gaussian-process BO: Matérn 5/2 ARD on unit-cube inputs (categoricals
// one-hot), MAP hyperparameters warm-started from the previous fit, log expected improvement
// maximized over random candidates, perturbations of the best trials, and a local search.
// Pending trials enter as a constant liar at the worst observed loss. Cost grows as n³: meant for
// up to a few hundred trials.
import { createRng, restoreRng, type Rng, type RngState } from '../../shared/rng.ts'
import { sampleConfig } from '../../shared/spaceCodec.ts'
import { tunerOptions } from './tunerOptions.ts'
import { decodeJsonState, encodeJsonState, type Tuner, type TunerInit } from '../../shared/tuner.ts'
import {
  createGaussianProcess,
  defaultHyperparameters,
  fitGpHyperparameters,
  type GaussianProcess,
  type GpHyperparameters,
} from './gaussianProcess.ts'
import { createGpEncoding, type GpEncoding } from './gpEncoding.ts'
import { logH } from './normalDistribution.ts'

interface GpState {
  rng: RngState
  /** The last fit, the warm start of the next one. */
  hyper: GpHyperparameters | null
}

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
function maximizeAcquisition(
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

export function createGpTuner(init: TunerInit): Tuner {
  const opts = tunerOptions('gp', init.options)
  const encoding = createGpEncoding(init.space)
  let rng = createRng(init.seed)
  let hyper: GpHyperparameters | null = null

  return {
    async ask(ctx) {
      const complete = ctx.finished.filter(
        (t) => t.state === 'complete' && t.loss !== null && Number.isFinite(t.loss),
      )
      if (complete.length < opts.nStartupTrials || encoding.width === 0)
        return { params: sampleConfig(init.space, rng) }

      const X = complete.map((t) => encoding.encode(t.params))
      const losses = complete.map((t) => t.loss as number)
      const mean = losses.reduce((a, b) => a + b, 0) / losses.length
      const sd = Math.sqrt(losses.reduce((a, b) => a + (b - mean) ** 2, 0) / losses.length)
      const y = losses.map((v) => (v - mean) / Math.max(sd, 1e-12))

      const starts = [defaultHyperparameters(encoding.width)]
      if (hyper) starts.unshift(hyper)
      hyper = fitGpHyperparameters(X, y, starts)

      // constant liar: pending trials count as the worst loss seen, so proposals spread out
      const worst = Math.max(...y)
      const pendingX = ctx.pending.map((t) => encoding.encode(t.params))
      const gp = createGaussianProcess(
        [...X, ...pendingX],
        [...y, ...pendingX.map(() => worst)],
        hyper,
      )
      const best = Math.min(...y)
      const top = Array.from(y.keys())
        .sort((a, b) => y[a] - y[b] || a - b)
        .slice(0, 5)
        .map((i) => X[i])
      const x = maximizeAcquisition(
        (xs) => logExpectedImprovement(gp, xs, best),
        encoding,
        top,
        opts.nCandidates,
        rng,
      )
      return { params: encoding.decode(x) }
    },
    async tell() {},
    saveState: () => encodeJsonState({ rng: rng.state(), hyper } satisfies GpState),
    loadState(state) {
      const s = decodeJsonState<GpState>(state)
      rng = restoreRng(s.rng)
      hyper = s.hyper
    },
  }
}
