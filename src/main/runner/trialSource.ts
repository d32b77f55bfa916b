// Runs in main: which trial a free slot runs next. An interrupted trial re-runs with its stored params,
// else a queued one runs (enqueued by the user, or proposed before a pause), else the tuner proposes one.
import type { PendingTrial, TrialRecord } from '../../shared/trial.ts'
import type { StudyStore } from '../store/studyStore.ts'
import type { TunerSession } from './tunerSession.ts'

export interface TrialSource {
  /** The next trial, or null when the run may no longer launch once the tuner answered. */
  next(): Promise<TrialRecord | null>
  /** Trials proposed or queued and not finished, but `except` (what a constant liar fills in). */
  pending(except?: number): PendingTrial[]
}

export interface TrialSourceOptions {
  store: Pick<StudyStore, 'listTrials' | 'createTrial'>
  studyId: number
  tuner: Pick<TunerSession, 'ask'>
  /** The trials running now (their store rows say 'running'). */
  running: () => readonly TrialRecord[]
  mayLaunch: () => boolean
}

export function createTrialSource(o: TrialSourceOptions): TrialSource {
  const { store, studyId } = o
  const toPending = (t: TrialRecord): PendingTrial => ({
    number: t.number,
    params: t.params,
    tunerData: t.tunerData,
  })
  const notRunning = (t: TrialRecord) => !o.running().some((r) => r.id === t.id)

  const pending = (except?: number): PendingTrial[] =>
    [...o.running(), ...store.listTrials(studyId, ['queued', 'interrupted'])]
      .filter((t) => t.number !== except)
      .map(toPending)

  return {
    pending,
    async next() {
      const waiting =
        store.listTrials(studyId, ['interrupted']).find(notRunning) ??
        store.listTrials(studyId, ['queued']).find(notRunning)
      if (waiting) return waiting
      const { proposal, state } = await o.tuner.ask(pending())
      // Created queued, then started: a proposal that arrives after a pause or stop, or a crash before the
      // trial starts, leaves a queued trial that runs first next time, so no proposal is lost.
      const trial = store.createTrial(
        studyId,
        {
          state: 'queued',
          params: proposal.params,
          tunerData: proposal.tunerData ?? null,
          agentSnapshot: proposal.agentSnapshot ?? null,
        },
        state,
      )
      return o.mayLaunch() ? trial : null
    },
  }
}
