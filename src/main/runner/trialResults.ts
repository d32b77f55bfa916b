// Runs in main: what happens when a trial ends. A finished trial (complete, pruned, failed) is told to the
// tuner, and its result is written with the tuner's new state in one transaction; an interrupted one goes
// back to the store to re-run first next time. Each ending is announced, with whether it is the new best.
import { bestTrial } from '../../shared/bestTrial.ts'
import { isBetter, type StudyRecord } from '../../shared/study.ts'
import type { StudyEvent } from '../../shared/studyEvent.ts'
import type { PendingTrial, TrialRecord } from '../../shared/trial.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { pruneReason } from './pruneReason.ts'
import type { TrialOutcome } from './runTrial.ts'
import type { TunerSession } from './tunerSession.ts'

type ResultStore = Pick<
  StudyStore,
  'listTrials' | 'interruptTrial' | 'finishTrial' | 'appendTrialLog'
>

export interface TrialResults {
  /** Records how a trial ended; a complete trial's backend is the worker's own label of what ran. */
  record(trial: TrialRecord, outcome: TrialOutcome): Promise<void>
}

export interface TrialResultsOptions {
  store: ResultStore
  study: StudyRecord
  tuner: Pick<TunerSession, 'tell'>
  pending: (except: number) => PendingTrial[]
  /** After a trial finished (it counts against the trial budget). */
  onFinished: () => void
  emit: (event: StudyEvent) => void
}

export function createTrialResults(o: TrialResultsOptions): TrialResults {
  const { store, study, emit } = o
  const direction = study.spec.direction
  let best = bestTrial(direction, store.listTrials(study.id))?.value ?? null
  const announce = (t: TrialRecord, outcome: TrialOutcome, isBest: boolean) =>
    emit({
      type: 'trial-finished',
      studyId: study.id,
      trialNumber: t.number,
      state: outcome.state,
      value: outcome.state === 'complete' || outcome.state === 'pruned' ? outcome.value : null,
      error:
        outcome.state === 'failed'
          ? outcome.error
          : outcome.state === 'interrupted'
            ? outcome.reason
            : null,
      isBest,
    })

  return {
    async record(t, outcome) {
      if (outcome.state === 'interrupted') {
        store.interruptTrial(t.id, outcome.reason)
        announce(t, outcome, false)
        return
      }
      const value = outcome.state === 'failed' ? null : outcome.value
      const told = await o.tuner.tell({ ...t, state: outcome.state, value }, o.pending(t.number))
      store.finishTrial(
        t.id,
        outcome.state === 'complete'
          ? {
              state: 'complete',
              value,
              error: null,
              userAttrs: outcome.userAttrs,
              backend: outcome.backend,
            }
          : {
              state: outcome.state,
              value,
              error:
                outcome.state === 'failed'
                  ? outcome.error
                  : pruneReason(study.spec.pruner, outcome),
            },
        { state: told.state, agentSnapshot: told.agentSnapshot },
      )
      if (told.warning) {
        store.appendTrialLog(t.id, 'stderr', `[tuner] ${told.warning}\n`)
        emit({ type: 'warning', studyId: study.id, message: told.warning })
      }
      o.onFinished()
      const isBest =
        outcome.state === 'complete' && (best === null || isBetter(direction, outcome.value, best))
      if (isBest) best = outcome.value
      announce(t, outcome, isBest)
    },
  }
}
