// Runs in main: where one study run stands, as one value, and the rules that move it. Pure: the run's
// control (runControl.ts) holds the current value and reacts to each change.
import type { StudyState } from '../../shared/study.ts'
import type { TrialRecord } from '../../shared/trial.ts'

/** Who asked for a pause or stop: 'remote' is another process, through the database (CLI exit code 3). */
export type Requester = 'local' | 'remote'

export type RunState =
  /** Starting the tuner: no trial launches yet. */
  | { kind: 'starting' }
  | { kind: 'running' }
  /** Running trials finish; none starts. */
  | { kind: 'pausing'; by: Requester }
  /** Running trials are cancelled and become interrupted. */
  | { kind: 'stopping'; by: Requester }
  /**
   * Running trials are cancelled; the study fails with the first error. `leaseLost`: another process took
   * the lease over (this one stalled past the stale limit), so its writes win and this run writes no more.
   */
  | { kind: 'failing'; error: string; leaseLost: boolean }
  | { kind: 'ended'; outcome: StudyRunOutcome; leaseLost: boolean }

export type RunEvent =
  | { type: 'started' }
  | { type: 'pause'; by: Requester }
  | { type: 'resume' }
  | { type: 'stop'; by: Requester }
  | { type: 'fail'; error: string; leaseLost?: boolean }

export interface StudyRunOutcome {
  state: StudyState
  requestedBy: Requester | null
  error: string | null
}

/** The state after an event; the same object when the event changes nothing. */
export function nextRunState(s: RunState, e: RunEvent): RunState {
  if (s.kind === 'ended') return s
  switch (e.type) {
    case 'started':
      return s.kind === 'starting' ? { kind: 'running' } : s
    case 'pause':
      return s.kind === 'stopping' || s.kind === 'failing' ? s : { kind: 'pausing', by: e.by }
    case 'resume':
      return s.kind === 'pausing' ? { kind: 'running' } : s
    case 'stop':
      return s.kind === 'failing' ? s : { kind: 'stopping', by: e.by }
    case 'fail':
      // the first error is the one reported; a lost lease is remembered whenever it comes
      if (s.kind !== 'failing') return { kind: 'failing', error: e.error, leaseLost: !!e.leaseLost }
      return e.leaseLost && !s.leaseLost ? { ...s, leaseLost: true } : s
  }
}

/** Whether a new trial may start (the budget aside). */
export const mayLaunch = (s: RunState): boolean => s.kind === 'running'

/** Whether the trials running now must be cancelled. */
export const cancelsTrials = (s: RunState): boolean => s.kind === 'stopping' || s.kind === 'failing'

/** How a run in state `s` ends, given the study's trials once nothing runs. */
export function endOf(
  s: RunState,
  trials: readonly Pick<TrialRecord, 'state' | 'error'>[],
): Extract<RunState, { kind: 'ended' }> {
  const ended = (outcome: StudyRunOutcome, leaseLost = false) =>
    ({ kind: 'ended', outcome, leaseLost }) as const
  switch (s.kind) {
    case 'ended':
      return s
    case 'failing':
      return ended({ state: 'failed', requestedBy: null, error: s.error }, s.leaseLost)
    case 'stopping':
      return ended({ state: 'stopped', requestedBy: s.by, error: null })
    case 'pausing':
      return ended({ state: 'paused', requestedBy: s.by, error: null })
    case 'starting':
    case 'running': {
      if (trials.some((t) => t.state === 'complete' || t.state === 'pruned'))
        return ended({ state: 'finished', requestedBy: null, error: null })
      const failed = trials.filter((t) => t.state === 'failed')
      const first = failed[0]?.error ? `; first error: ${failed[0].error}` : ''
      return ended({
        state: 'failed',
        requestedBy: null,
        error: `no trial completed (${failed.length} failed${first})`,
      })
    }
  }
}

/** Whether another process took the lease over: this run writes nothing more. */
export const leaseLost = (s: RunState): boolean =>
  (s.kind === 'failing' || s.kind === 'ended') && s.leaseLost
