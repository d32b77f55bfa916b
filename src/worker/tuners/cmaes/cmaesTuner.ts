// Runs in the tuner worker. CMA-ES over the always-active numeric parameters (unit-cube coordinates
// of the shared codec; integers and steps by rounding on decode), IPOP restarts on stagnation.
// Fallback for what CMA-ES cannot model: categorical, bool and conditional parameters are sampled
// by an independent univariate TPE (random for the first trials), as Optuna's CmaEsSampler hands
// them to its independent sampler. A generation is updated once `popsize` of its proposals are
// complete; failed, pruned and foreign trials (no tunerData) never enter an update.
import { z } from 'zod'
import { createRng, restoreRng, rngStateSchema } from '../../../shared/rng.ts'
import type { Config, ParamSpec } from '../../../shared/searchSpace.ts'
import { decodeUnit } from '../../../shared/spaceCodec.ts'
import type { FinishedTrial, Json } from '../../../shared/trial.ts'
import {
  decodeJsonState,
  encodeJsonState,
  type Tuner,
  type TunerContext,
  type TunerInit,
} from '../../../shared/tuner.ts'
import { cmaShouldStop, createCmaState, sampleCma, updateCma, type CmaState } from './cmaes.ts'
import { createTpeSampler } from '../tpe/tpeSampler.ts'
import { tpeOptions } from '../tpe/tpeTuner.ts'
import { tunerOptions } from '../tunerOptions.ts'

const vector = z.array(z.number())
const cmaStateSchema = z.object({
  dim: z.number().int(),
  popsize: z.number().int(),
  mean: vector,
  sigma: z.number(),
  sigma0: z.number(),
  C: z.array(vector),
  B: z.array(vector),
  D: vector,
  pc: vector,
  ps: vector,
  generation: z.number().int(),
  funHistory: vector,
  flatGenerations: z.number().int(),
} satisfies Record<keyof CmaState, z.ZodType>)
const cmaesTunerStateSchema = z.object({
  rng: rngStateSchema,
  cma: cmaStateSchema.nullable(),
  restarts: z.number().int(),
})
type CmaesTunerState = z.infer<typeof cmaesTunerStateSchema>

interface CmaTrialData {
  restart: number
  generation: number
  x: number[]
}

function cmaData(t: FinishedTrial): CmaTrialData | null {
  const data = t.tunerData as { cmaes?: Partial<CmaTrialData> } | null
  const d = data && typeof data === 'object' && !Array.isArray(data) ? data.cmaes : undefined
  if (!d || typeof d.restart !== 'number' || typeof d.generation !== 'number') return null
  if (!Array.isArray(d.x) || !d.x.every((v) => typeof v === 'number')) return null
  return d as CmaTrialData
}

export function createCmaesTuner(init: TunerInit): Tuner {
  const opts = tunerOptions('cmaes', init.options)
  const dims: ParamSpec[] = init.space.params.filter(
    (p) => !p.when && (p.type === 'float' || p.type === 'int') && p.low !== p.high,
  )
  const fallback = createTpeSampler(init.space, init.direction, tpeOptions({}))
  const sigma0 = opts.sigma0 ?? 1 / 6
  let rng = createRng(init.seed)
  let restarts = 0
  let cma: CmaState | null =
    dims.length > 0 ? createCmaState(new Array(dims.length).fill(0.5), sigma0, opts.popsize) : null

  /** Applies every generation that has enough complete trials, restarting when the search stalls. */
  function advance(ctx: TunerContext): void {
    for (;;) {
      if (!cma) return
      const current = cma
      const solutions = ctx.finished
        .filter((t) => t.state === 'complete' && t.loss !== null && Number.isFinite(t.loss))
        .flatMap((t) => {
          const d = cmaData(t)
          return d &&
            d.restart === restarts &&
            d.generation === current.generation &&
            d.x.length === current.dim
            ? [{ x: d.x, loss: t.loss as number }]
            : []
        })
      if (solutions.length < current.popsize) return
      cma = updateCma(current, solutions.slice(0, current.popsize))
      if (opts.restartOnStagnation && cmaShouldStop(cma)) {
        restarts++
        const mean = dims.map(() => rng.next())
        cma = createCmaState(mean, sigma0, Math.min(4096, current.popsize * 2))
      }
    }
  }

  return {
    async ask(ctx) {
      advance(ctx)
      if (!cma) return { params: fallback.sample(ctx, { tpe: rng, startup: rng }) }
      const x = sampleCma(cma, rng)
      const fixed: Config = {}
      dims.forEach((p, i) => (fixed[p.name] = decodeUnit(p, x[i])))
      const tunerData: Json = { cmaes: { restart: restarts, generation: cma.generation, x } }
      return { params: fallback.sample(ctx, { tpe: rng, startup: rng }, fixed), tunerData }
    },
    async tell() {},
    saveState: () => encodeJsonState({ rng: rng.state(), cma, restarts } satisfies CmaesTunerState),
    loadState(state) {
      const s = decodeJsonState(state, cmaesTunerStateSchema, 'cmaes')
      rng = restoreRng(s.rng)
      cma = s.cma
      restarts = s.restarts
    },
  }
}
