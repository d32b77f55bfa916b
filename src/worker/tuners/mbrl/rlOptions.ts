// Runs in the tuner worker: an RL tuner's options, the study file's over its variant's preset.
import { tunerSpecSchema } from '../../../shared/tunerSpec.ts'
import type { RlTunerKind } from './agentState.ts'

export interface RlOptions {
  variant: 'default' | 'paper'
  delta: number
  firstPhase: number
  phaseEvery: number
  modelBatch: number
  maxModelEpisodes: number
  surrogate: 'gp' | 'mlp' | 'ensemble'
  surrogateWindow: number
  planning: number
  refine: number
  refineCategorical: 'elite' | 'mix'
  exploration: number
  explore: 'all' | 'categorical'
  local: number
  optimism: number
  warp: 'none' | 'rank' | 'power'
  rewards: 'baseline' | 'rank'
  actions: 'truncated' | 'clipped'
  learningRate: number
  order: 'shuffled' | 'file'
  klReduction: 'mean' | 'sum'
  clipEpsilon: number
  ppoEpochs: number
  updateKl: number
  /** σ's cap; the agent starts at σ ≈ its initial spread. */
  spreadCap: number
  initialSpread: number | null
}

type Preset = Omit<
  RlOptions,
  'variant' | 'surrogateWindow' | 'order' | 'klReduction' | 'clipEpsilon' | 'ppoEpochs'
>

/** The method as published (mbrl-tuner.md §§2–6), with the calibration it had before issue 12. */
const PAPER: Preset = {
  delta: 0.2,
  firstPhase: 25,
  phaseEvery: 25,
  modelBatch: 8,
  maxModelEpisodes: 400,
  surrogate: 'mlp',
  planning: 1,
  refine: 0,
  refineCategorical: 'elite',
  exploration: 0,
  explore: 'all',
  local: 0,
  optimism: 0,
  warp: 'none',
  rewards: 'baseline',
  actions: 'clipped',
  learningRate: 0.007,
  updateKl: 0.01,
  spreadCap: 1,
  initialSpread: null,
}

/** Chosen by the tuner race on the development tasks (bench/race.bench.ts; bench/results/mbrl-experiments.md). */
const DEFAULT: Preset = {
  delta: 0.2,
  firstPhase: 10,
  phaseEvery: 5,
  modelBatch: 32,
  maxModelEpisodes: 512,
  surrogate: 'gp',
  planning: 128,
  refine: 1,
  refineCategorical: 'mix',
  exploration: 0.25,
  explore: 'categorical',
  local: 0.2,
  optimism: 1,
  warp: 'power',
  rewards: 'rank',
  actions: 'truncated',
  learningRate: 0.007,
  updateKl: 0.01,
  spreadCap: 2,
  initialSpread: 1,
}

/** The study file's options with the variant's preset and the schema's defaults filled in. */
export function rlOptions(kind: RlTunerKind, options: Record<string, unknown>): RlOptions {
  const parsed = tunerSpecSchema.parse({ ...options, kind })
  if (parsed.kind !== 'mbrl' && parsed.kind !== 'rl' && parsed.kind !== 'rl-onestep')
    throw new Error('unreachable')
  const { kind: _kind, realPerPhase, ...given } = parsed
  const preset = parsed.variant === 'paper' ? PAPER : DEFAULT
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined))
  const schedule =
    realPerPhase === undefined ? {} : { firstPhase: realPerPhase, phaseEvery: realPerPhase }
  return { ...preset, ...schedule, ...defined } as RlOptions
}
