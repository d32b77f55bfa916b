// Tuner kinds and their options as a study file gives them; each tuner's issue owns its schema here.
import { z } from 'zod'

const tpeOptions = {
  nStartupTrials: z.number().int().min(0).default(10),
  nEiCandidates: z.number().int().min(1).default(24),
  priorWeight: z.number().positive().default(1),
  considerEndpoints: z.boolean().default(false),
  multivariate: z.boolean().default(false),
  /** Pending trials count as the worst (Optuna's default is false; it only matters at concurrency > 1). */
  constantLiar: z.boolean().default(true),
  /** Optuna's default gamma: min(ceil(0.1·n), 25) trials in the good group. */
  gammaFraction: z.number().gt(0).lt(1).default(0.1),
  gammaMax: z.number().int().min(1).default(25),
}

const rlOptions = {
  /** KL horizon, mean over steps: 0.2 from the δ sweep in bench/mbrl.bench.ts (branin, hartmann6). */
  delta: z.number().positive().default(0.2),
  realPerPhase: z.number().int().min(1).default(25),
  modelBatch: z.number().int().min(1).default(8),
  maxModelEpisodes: z.number().int().min(0).default(400),
  surrogate: z.enum(['mlp', 'ensemble']).default('mlp'),
  /** Fit the surrogate on the last N real points only; 0 = all (cumulative). */
  surrogateWindow: z.number().int().min(0).default(0),
  learningRate: z.number().positive().default(0.007),
  /** Hyperparameter order: shuffled once with the study seed, or as written in the space. */
  order: z.enum(['shuffled', 'file']).default('shuffled'),
  klReduction: z.enum(['mean', 'sum']).default('mean'),
  clipEpsilon: z.number().positive().default(0.2),
  ppoEpochs: z.number().int().min(1).default(4),
  /**
   * Trust region of one PPO update: KL(before ‖ after), mean over steps, as TRPO's max KL; the step
   * that crosses it is scaled back. Without it Adam's steps overshoot PPO's clip and saturate the
   * agent (mbrl-tuner.md §4 calibration). 0 = plain PPO-clip. [ours]
   */
  updateKl: z.number().min(0).default(0.01),
}

export const tunerSpecSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('random') }),
  z.strictObject({
    kind: z.literal('grid'),
    /** Points per float parameter (ints and categoricals use every value when there are at most this many). */
    pointsPerFloat: z.number().int().min(2).max(1000).default(5),
  }),
  /** Scrambled (linear matrix scramble + digital shift, seeded) or plain Sobol points. */
  z.strictObject({ kind: z.literal('qmc'), scramble: z.boolean().default(true) }),
  z.strictObject({ kind: z.literal('tpe'), ...tpeOptions }),
  z.strictObject({
    kind: z.literal('gp'),
    /** Random proposals until this many trials are complete. */
    nStartupTrials: z.number().int().min(1).default(10),
    /** Random points screened by log-EI before the local search. */
    nCandidates: z.number().int().min(1).default(2000),
  }),
  z.strictObject({
    kind: z.literal('cmaes'),
    /** Initial step size in unit-cube coordinates (default 1/6, as Optuna's range/6). */
    sigma0: z.number().positive().optional(),
    /** Population size (default 4 + ⌊3 ln n⌋); doubled at each restart. */
    popsize: z.number().int().min(2).optional(),
    /** IPOP: restart from a random mean with a doubled population when the search stalls. */
    restartOnStagnation: z.boolean().default(true),
  }),
  z.strictObject({ kind: z.literal('mbrl'), ...rlOptions }),
  z.strictObject({ kind: z.literal('rl'), ...rlOptions }),
  z.strictObject({ kind: z.literal('rl-onestep'), ...rlOptions }),
  z.strictObject({ kind: z.literal('hyperband') }),
  z.strictObject({ kind: z.literal('bohb'), ...tpeOptions }),
])

export type TunerSpec = z.output<typeof tunerSpecSchema>
export type TunerKind = TunerSpec['kind']
export const TUNER_KINDS: readonly TunerKind[] = [
  'random',
  'grid',
  'qmc',
  'tpe',
  'gp',
  'cmaes',
  'mbrl',
  'rl',
  'rl-onestep',
  'hyperband',
  'bohb',
]
export const RL_TUNER_KINDS: readonly TunerKind[] = ['mbrl', 'rl', 'rl-onestep']
