// Runs in main: a study's conversation with its tuner worker, typed. The worker is started knowing every
// finished trial the saved tuner state includes; those it never saw (imported, or finished by a run that
// crashed before telling) are told first, each marked told with the tuner's new state.
import { toLoss, type StudyRecord } from '../../shared/study.ts'
import {
  FINISHED_STATES,
  type FinishedTrial,
  type PendingTrial,
  type TrialRecord,
} from '../../shared/trial.ts'
import type { WorkerResultMap } from '../../shared/workerProtocol.ts'
import type { StudyStore } from '../store/studyStore.ts'
import type { WorkerClient } from '../workers/workerClient.ts'

type SessionStore = Pick<
  StudyStore,
  'listTrials' | 'listUntoldFinished' | 'getIntermediateValues' | 'getTunerState' | 'markTold'
>

export interface TunerSession {
  /** Sends init (space, tuner, saved state, known trials), then tells the untold ones. */
  start(): Promise<void>
  /** A proposal, and the tuner's state after it (stored with the new trial). */
  ask(pending: readonly PendingTrial[]): Promise<WorkerResultMap['ask']>
  /** Tells a finished trial (its curve read from the store); the result carries the tuner's new state. */
  tell(trial: TrialRecord, pending: readonly PendingTrial[]): Promise<WorkerResultMap['tell']>
  /** Called once if the worker process ends while the session is open. */
  onExit(listener: () => void): void
  close(): void
}

/** A trial as the tuner learns from it: its value as a loss (lower is better), failed trials without one. */
function finishedTrial(
  t: TrialRecord,
  direction: StudyRecord['spec']['direction'],
  intermediate: FinishedTrial['intermediate'],
): FinishedTrial {
  return {
    number: t.number,
    state: t.state as FinishedTrial['state'],
    params: t.params,
    value: t.value,
    loss: t.state === 'failed' || t.value === null ? null : toLoss(direction, t.value),
    intermediate,
    tunerData: t.tunerData,
  }
}

export function createTunerSession(
  client: WorkerClient,
  store: SessionStore,
  study: StudyRecord,
): TunerSession {
  const { spec } = study
  let closed = false
  const curveOf = (t: TrialRecord) => store.getIntermediateValues(study.id, [t.id]).get(t.id) ?? []
  const toFinished = (t: TrialRecord, curves: Map<number, FinishedTrial['intermediate']>) =>
    finishedTrial(t, spec.direction, curves.get(t.id) ?? [])

  return {
    async start() {
      const untold = store.listUntoldFinished(study.id)
      const untoldIds = new Set(untold.map((t) => t.id))
      const curves = store.getIntermediateValues(study.id)
      const known = store.listTrials(study.id, FINISHED_STATES).filter((t) => !untoldIds.has(t.id))
      await client.request({
        type: 'init',
        space: spec.space,
        direction: spec.direction,
        seed: study.seed,
        tuner: spec.tuner,
        state: store.getTunerState(study.id),
        finished: known.map((t) => toFinished(t, curves)),
      })
      for (const t of untold) {
        const told = await client.request({
          type: 'tell',
          trial: toFinished(t, curves),
          pending: [],
        })
        store.markTold(t.id, told.state)
      }
    },
    ask: (pending) => client.request({ type: 'ask', pending: [...pending] }),
    tell: (trial, pending) =>
      client.request({
        type: 'tell',
        trial: finishedTrial(trial, spec.direction, curveOf(trial)),
        pending: [...pending],
      }),
    onExit(listener) {
      client.onExit(() => {
        if (!closed) listener()
      })
    },
    close() {
      closed = true
      client.kill('SIGKILL')
    },
  }
}
