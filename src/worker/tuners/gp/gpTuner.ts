// Runs in the tuner worker. Gaussian-process BO: Matérn 5/2 ARD on unit-cube inputs (categoricals
// one-hot), MAP hyperparameters warm-started from the previous fit, log expected improvement
// maximized over random candidates, perturbations of the best trials, and a local search.
// Pending trials enter as a constant liar at the worst observed loss. Cost grows as n³: meant for
// up to a few hundred trials.
import { z } from 'zod'
import { createRng, restoreRng, rngStateSchema } from '../../../shared/rng.ts'
import { sampleConfig } from '../../../shared/spaceCodec.ts'
import {
  decodeJsonState,
  encodeJsonState,
  type Tuner,
  type TunerInit,
} from '../../../shared/tuner.ts'
import {
  createGaussianProcess,
  defaultHyperparameters,
  fitGpHyperparameters,
  type GaussianProcess,
  type GpHyperparameters,
} from './gaussianProcess.ts'
import { logExpectedImprovement, maximizeAcquisition } from './gpAcquisition.ts'
import { createGpEncoding } from './gpEncoding.ts'
import { tunerOptions } from '../tunerOptions.ts'

const gpStateSchema = z.object({
  rng: rngStateSchema,
  /** The last fit, the warm start of the next one. */
  hyper: z
    .object({
      inverseSquaredLengthscales: z.array(z.number()),
      kernelScale: z.number(),
      noiseVar: z.number(),
    } satisfies Record<keyof GpHyperparameters, z.ZodType>)
    .nullable(),
})
type GpState = z.infer<typeof gpStateSchema>

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
      let gp: GaussianProcess
      try {
        gp = createGaussianProcess([...X, ...pendingX], [...y, ...pendingX.map(() => worst)], hyper)
      } catch {
        // a covariance that stays singular even with jitter (e.g. many identical pending points)
        hyper = null
        return { params: sampleConfig(init.space, rng) }
      }
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
      const s = decodeJsonState(state, gpStateSchema, 'gp')
      rng = restoreRng(s.rng)
      hyper = s.hyper
    },
  }
}
