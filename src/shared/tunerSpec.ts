// Tuner kinds and their options as a study file gives them; each tuner's issue owns its schema here.
import { z } from 'zod'

const tpeOptions = {
  nStartupTrials: z.number().int().min(0).default(10),
  nEiCandidates: z.number().int().min(1).default(24),
  priorWeight: z.number().positive().default(1),
  considerEndpoints: z.boolean().default(false),
  /**
   * Optuna 5's defaults: multivariate TPE with a constant liar. `multivariate: false, constantLiar:
   * false` is Optuna 3.1's TPESampler, which `tpe` reproduces draw for draw.
   */
  multivariate: z.boolean().default(true),
  /** Pending trials count as the worst (it only matters at concurrency > 1). */
  constantLiar: z.boolean().default(true),
  /** Optuna's default gamma: min(ceil(0.1·n), 25) trials in the good group. */
  gammaFraction: z.number().gt(0).lt(1).default(0.1),
  gammaMax: z.number().int().min(1).default(25),
}

/**
 * The RL tuners' options. `variant` picks a preset; an option given explicitly overrides it (so the
 * variant-dependent ones have no schema default: rlOptions() in the tuner fills them in).
 * `paper`: the method as published (mbrl-tuner.md §§2–6): a model phase every 25 real trials, an MLP
 * surrogate, clipped Gaussian actions, EMA-baseline advantages. `default`: what won the tuner race
 * (bench/race.bench.ts, issue 12), see study-file.md.
 */
const rlOptions = {
  variant: z.enum(['default', 'paper']).default('default'),
  /** KL horizon, mean over steps. */
  delta: z.number().positive().optional(),
  /** The paper's schedule: a model phase every N real trials (sets firstPhase and phaseEvery to N). */
  realPerPhase: z.number().int().min(1).optional(),
  /** Real results before the first model phase. */
  firstPhase: z.number().int().min(1).optional(),
  /** Real results between model phases. */
  phaseEvery: z.number().int().min(1).optional(),
  modelBatch: z.number().int().min(1).optional(),
  maxModelEpisodes: z.number().int().min(0).optional(),
  /** The learned model: a Gaussian process, one MLP, or an ensemble of 5 MLPs. */
  surrogate: z.enum(['gp', 'mlp', 'ensemble']).optional(),
  /** Fit the surrogate on the last N real points only; 0 = all (cumulative). */
  surrogateWindow: z.number().int().min(0).default(0),
  /** Episodes the agent samples at each ask(), of which the model picks the one to evaluate (1: no planning). */
  planning: z.number().int().min(1).optional(),
  /** Cross-entropy rounds after the first: each samples `planning` episodes around the best-ranked ones. */
  refine: z.number().int().min(0).max(8).optional(),
  /** At unordered categorical steps, refined episodes take the elites' choices, or half of them a first-round episode's. */
  refineCategorical: z.enum(['elite', 'mix']).optional(),
  /** Share of the planning episodes sampled with the policy's spread widened to its cap. */
  exploration: z.number().min(0).max(1).optional(),
  /** Which steps those episodes widen: every parameter, or the categorical ones only. */
  explore: z.enum(['all', 'categorical']).optional(),
  /** Share of the planning episodes sampled around the best real result (the policy's spread, at most 0.2). */
  local: z.number().min(0).max(1).optional(),
  /** β of the optimistic model reward −mean + β·spread (GP surrogate). */
  optimism: z.number().min(0).optional(),
  /** What the GP models: the losses standardized, their ranks as normal scores, or power-transformed (Box-Cox / Yeo-Johnson). */
  warp: z.enum(['none', 'rank', 'power']).optional(),
  /** How a reward becomes an advantage: the paper's EMA baseline, or ranks. */
  rewards: z.enum(['baseline', 'rank']).optional(),
  /** Per-step action distribution: N(μ', σ) truncated to [−1, 1], or clipped as in the paper. */
  actions: z.enum(['truncated', 'clipped']).optional(),
  learningRate: z.number().positive().optional(),
  /** Hyperparameter order: shuffled once with the study seed, or as written in the space. */
  order: z.enum(['shuffled', 'file']).default('shuffled'),
  klReduction: z.enum(['mean', 'sum']).default('mean'),
  clipEpsilon: z.number().positive().default(0.2),
  ppoEpochs: z.number().int().min(1).default(4),
  /**
   * Trust region of one PPO update: KL(before ‖ after), mean over steps, as TRPO's max KL; the step
   * that crosses it is scaled back. 0 = plain PPO-clip. [ours]
   */
  updateKl: z.number().min(0).optional(),
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
  z.strictObject({
    kind: z.literal('nsga2'),
    /** Trials per generation (Optuna's default 50). */
    populationSize: z.number().int().min(2).default(50),
    /** Numeric parameters: swap per parameter (Optuna's default) or simulated binary crossover. */
    crossover: z.enum(['uniform', 'sbx']).default('uniform'),
    /** SBX distribution index; default 20 with several objectives, 2 with one (as Optuna). */
    sbxEta: z.number().positive().optional(),
    crossoverProb: z.number().min(0).max(1).default(0.9),
    swappingProb: z.number().min(0).max(1).default(0.5),
    /** A mutated parameter is drawn anew (Optuna), or numeric ones move by polynomial mutation. */
    mutation: z.enum(['resample', 'polynomial']).default('resample'),
    /** Per-parameter mutation probability; default 1 / number of parameters. */
    mutationProb: z.number().min(0).max(1).optional(),
    mutationEta: z.number().positive().default(20),
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
  'nsga2',
]
export const RL_TUNER_KINDS: readonly TunerKind[] = ['mbrl', 'rl', 'rl-onestep']
