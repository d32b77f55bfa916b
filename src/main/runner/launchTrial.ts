// Runs in main: starts a trial in a free slot. The store marks it running (clearing what a previous attempt
// left), watchers hear of it, and it runs on the slot's worker under the study's time limit and pruner.
import type { StudyRecord } from '../../shared/study.ts'
import type { StudyEvent } from '../../shared/studyEvent.ts'
import type { TrialRecord } from '../../shared/trial.ts'
import type { TrialRunSpec } from '../../shared/workerProtocol.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { trialRunSpec } from './bestConfigTasks.ts'
import type { PruneCheck } from './pruneCheck.ts'
import { runTrial } from './runTrial.ts'
import type { SlotTrial, TrialSlots } from './trialSlots.ts'

export interface LaunchOptions {
  store: StudyStore
  study: StudyRecord
  slots: Pick<TrialSlots, 'occupy'>
  slot: number
  /** A queued or interrupted trial. */
  trial: TrialRecord
  shouldPrune: PruneCheck
  emit: (event: StudyEvent) => void
}

/** Seconds before a trial fails: the command's own limit, else the study's. */
const trialTimeout = ({ spec }: Pick<StudyRecord, 'spec'>): number | null =>
  (spec.objective.kind === 'command' ? spec.objective.timeoutSeconds : undefined) ??
  spec.trialTimeoutSeconds ??
  null

const withGpu = (spec: TrialRunSpec, gpu: number | null): TrialRunSpec =>
  gpu === null ? spec : { ...spec, resources: { ...spec.resources, gpu } }

/** Marks a queued or interrupted trial running and tells the watchers; returns its row as started. */
export function markTrialStarted(
  o: Pick<LaunchOptions, 'store' | 'study' | 'trial' | 'emit'>,
): TrialRecord {
  const { store, study } = o
  store.startTrial(o.trial.id)
  const trial = store.getTrial(study.id, o.trial.number) ?? o.trial
  o.emit({
    type: 'trial-started',
    studyId: study.id,
    trialNumber: trial.number,
    params: trial.params,
    startedAt: trial.startedAt ?? new Date().toISOString(),
  })
  return trial
}

export function launchTrial(o: LaunchOptions): SlotTrial {
  const { store, study } = o
  const trial = markTrialStarted(o)
  return o.slots.occupy(o.slot, trial.number, (worker) =>
    runTrial({
      store,
      worker: worker.client,
      trial,
      spec: withGpu(trialRunSpec(store, study, trial, trialTimeout(study)), worker.gpu),
      shouldPrune: () => o.shouldPrune(trial.number),
      emit: o.emit,
    }),
  )
}
