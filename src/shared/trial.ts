import { z } from 'zod'
import { agentSnapshotSchema } from './agentSnapshot.ts'
import { configSchema, type Config } from './searchSpace.ts'
import { trialPlacementSchema } from './trialPlacement.ts'

export const TRIAL_STATES = [
  'queued',
  'running',
  'complete',
  'pruned',
  'failed',
  'interrupted',
] as const
export const trialStateSchema = z.enum(TRIAL_STATES)
export type TrialState = z.infer<typeof trialStateSchema>
export type FinishedState = 'complete' | 'pruned' | 'failed'

export const FINISHED_STATES: readonly FinishedState[] = ['complete', 'pruned', 'failed']

export const isFinished = (s: TrialState): s is FinishedState =>
  (FINISHED_STATES as readonly TrialState[]).includes(s)

export const intermediateValueSchema = z.object({ step: z.number(), value: z.number() })
export type IntermediateValue = z.infer<typeof intermediateValueSchema>

/** JSON-compatible data (tuner per-trial data, user attributes). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
export const jsonSchema: z.ZodType<Json> = z.json()

const id = z.number().int().min(0)
export const trialRecordSchema = z.object({
  id,
  studyId: id,
  number: id,
  state: trialStateSchema,
  params: configSchema,
  /** Final value (complete), last intermediate value (pruned), null otherwise. */
  value: z.number().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  /** Compute backend that ran the trial ("xgboost 1.7.4 nthread=1", "tfjs wasm", "command"). */
  backend: z.string().nullable(),
  userAttrs: z.record(z.string(), jsonSchema),
  /** The tuner's per-trial data (for MBRL: the sampled actions and their log-probabilities). */
  tunerData: jsonSchema,
  agentSnapshot: agentSnapshotSchema.nullable(),
  /** Score of this configuration on the held-out test set, when the study scored its best there. */
  testScore: z.number().nullable(),
  /** Several objectives: every objective's value in the study file's order (`value` is the first). */
  values: z.array(z.number()).optional(),
  /** Constraints: the constrained values the trial reported, by name. */
  constraints: z.record(z.string(), z.number()).optional(),
  /** Constraints: every one holds. */
  feasible: z.boolean().optional(),
  /** Its Slurm job, when the study runs trials on a cluster; null on this machine. */
  placement: trialPlacementSchema.nullable(),
})
export type TrialRecord = z.infer<typeof trialRecordSchema>

/** What a tuner learns from: a finished trial, its value turned into a loss (lower is better). */
export interface FinishedTrial {
  number: number
  state: FinishedState
  params: Config
  value: number | null
  /** value for minimize studies, −value for maximize; null for a failed trial. */
  loss: number | null
  intermediate: readonly IntermediateValue[]
  tunerData: Json
  /** Several objectives: one loss per objective in the study file's order (maximized values negated); null unless complete. */
  losses?: readonly number[] | null
  /** A study with constraints: each one's violation (0 = it holds); null when the trial reported none. */
  violations?: readonly number[] | null
}

/** The trial's losses, one per objective (a single-objective trial: [loss]); null when it has none. */
export function lossVector(t: FinishedTrial): readonly number[] | null {
  if (t.state !== 'complete') return null
  if (t.losses) return t.losses
  return t.loss === null || Number.isNaN(t.loss) ? null : [t.loss]
}

/** The sum of the trial's constraint violations (0: feasible); null when it reported none. */
export function totalViolation(t: FinishedTrial): number | null {
  return t.violations ? t.violations.reduce((a, v) => a + v, 0) : null
}

/** A complete trial as a tuner is told it; the loss is the value unless given (maximize: −value). */
export function completeTrial(
  number: number,
  params: Config,
  value: number,
  extra: {
    loss?: number
    tunerData?: Json
    losses?: readonly number[]
    violations?: readonly number[]
  } = {},
): FinishedTrial {
  const trial: FinishedTrial = {
    number,
    state: 'complete',
    params,
    value,
    loss: extra.loss ?? value,
    intermediate: [],
    tunerData: extra.tunerData ?? null,
  }
  if (extra.losses) trial.losses = extra.losses
  if (extra.violations) trial.violations = extra.violations
  return trial
}

export interface PendingTrial {
  number: number
  params: Config
  tunerData: Json
}
