import type { z } from 'zod'
import type { AgentSnapshot } from './agentSnapshot.ts'
import type { Direction } from './study.ts'
import type { Config, SearchSpace } from './searchSpace.ts'
import type { FinishedTrial, Json, PendingTrial } from './trial.ts'
import { zodIssuesToErrors } from './zodErrors.ts'

export interface TunerContext {
  /** Every finished trial the tuner was told about, in the order it was told (imported and enqueued ones too). */
  finished: readonly FinishedTrial[]
  /** Trials proposed or queued but not finished (for a constant liar at concurrency > 1). */
  pending: readonly PendingTrial[]
}

export interface Proposal {
  params: Config
  /** Stored with the trial and handed back in FinishedTrial.tunerData (MBRL: sampled actions, log π_old). */
  tunerData?: Json
  /** RL tuners: the agent's state at this proposal, for the UI. */
  agentSnapshot?: AgentSnapshot
}

/**
 * Proposes configurations. Runs in the study's tuner worker, never trains a model.
 * Invariants: ask() returns a valid config of the space; for a given (seed, options, sequence of
 * ask/tell calls) it proposes the same configurations on every machine; saveState()/loadState()
 * round-trip so that a restored tuner proposes exactly what the original would have next.
 * ask() may mutate internal state (RNG); tell() is called once per finished trial, in the order
 * the trials finished, including trials the tuner did not propose (queued, imported).
 */
export interface Tuner {
  ask(ctx: TunerContext): Promise<Proposal>
  tell(trial: FinishedTrial, ctx: TunerContext): Promise<void>
  saveState(): Uint8Array
  loadState(state: Uint8Array): void
  /** Optional: the agent snapshot after the latest tell (RL tuners). */
  snapshot?(): AgentSnapshot | null
}

export interface TunerInit {
  space: SearchSpace
  direction: Direction
  seed: number
  /** The tuner's options from the study file (already validated against its schema). */
  options: Record<string, unknown>
}

/** JSON state helpers shared by tuners whose state is plain data. */
export function encodeJsonState(state: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(state))
}
/**
 * Reads a state saved by encodeJsonState, checked against the tuner's schema, so that a state another
 * build saved fails with the field at fault named instead of misleading the tuner.
 */
export function decodeJsonState<S extends z.ZodType>(
  bytes: Uint8Array,
  schema: S,
  tuner: string,
): z.output<S> {
  const fail = (why: string) =>
    new Error(`the saved ${tuner} tuner state does not fit this build of HPO Studio: ${why}`)
  let raw: unknown
  try {
    raw = JSON.parse(new TextDecoder().decode(bytes))
  } catch (e) {
    throw fail((e as Error).message)
  }
  const r = schema.safeParse(raw)
  if (!r.success)
    throw fail(
      zodIssuesToErrors(r.error.issues, raw, 'state')
        .map((e) => e.message)
        .join('; '),
    )
  return r.data
}
