import type { Config } from './searchSpace.ts'
import type { Json } from './trial.ts'

export interface ObjectiveContext {
  trialNumber: number
  /** Per-trial seed derived from the study seed and the trial number. */
  seed: number
  /** A folder for the trial's artifacts ($HPO_TRIAL_DIR for commands). */
  trialDir: string
  /** Reports an intermediate value (boosting round, epoch, a command's step). */
  report(step: number, value: number): void
  /** Sets a user attribute of the trial now (kept whatever the outcome). */
  attr(key: string, value: Json): void
  /** Keeps a log line with the trial (size-capped by main). */
  log(line: string, stream?: 'stdout' | 'stderr'): void
  /** Aborted on cancel, prune, stop or time limit: stop at the next round/epoch and reject. */
  signal: AbortSignal
}

export interface ObjectiveResult {
  /** The value of a single objective; the first objective's (or NaN) when `values` is given, which wins. */
  value: number
  /** Every value the objective measured, by name (a command may list objectives in order). */
  values?: Record<string, number> | number[]
  /** Values the study's constraints limit, by name. */
  constraints?: Record<string, number>
  userAttrs?: Record<string, Json>
  /** What ran it, recorded with the trial ("xgboost 1.7.4 nthread=1", "tfjs wasm"). */
  backend?: string
}

/** Trains or evaluates one configuration. Runs in a trial worker; may be killed at any time. */
export interface Objective {
  run(params: Config, ctx: ObjectiveContext): Promise<ObjectiveResult>
}
