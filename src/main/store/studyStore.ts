// Runs in main (plain Node or Electron). The one owner of all SQL; every other module goes through this interface.
import type { TrialLog, TrialQuery } from '../../shared/studioApi.ts'
import type { AgentSnapshot } from '../../shared/agentSnapshot.ts'
import type { PrunerTrial } from '../../shared/pruner.ts'
import type { StudyRecord, StudyState, StudySummary } from '../../shared/study.ts'
import type { ExecutorSpec } from '../../shared/executorSpec.ts'
import type { StudySpec } from '../../shared/studySpec.ts'
import type { Config } from '../../shared/searchSpace.ts'
import type { TrialPlacement } from '../../shared/trialPlacement.ts'
import type { DatasetInfo } from '../../shared/workerProtocol.ts'
import type {
  FinishedState,
  IntermediateValue,
  Json,
  TrialRecord,
  TrialState,
} from '../../shared/trial.ts'

export interface LeaseHolder {
  pid: number
  host: string
}
export interface LeaseInfo extends LeaseHolder {
  studyId: number
  heartbeatAt: string
  acquiredAt: string
}

export type ControlAction = 'pause' | 'stop' | 'resume'
export interface ControlRequest {
  id: number
  studyId: number
  action: ControlAction
  requestedAt: string
  requestedBy: string
}

export interface DatasetRecord extends DatasetInfo {
  id: number
  createdAt: string
}

/** A trial with its whole history, as an import from another tool writes it (importStudy). */
export interface ImportedTrial {
  number: number
  state: 'complete' | 'pruned' | 'failed' | 'queued' | 'interrupted'
  params: Config
  value: number | null
  error: string | null
  startedAt: string | null
  finishedAt: string | null
  userAttrs: Record<string, Json>
  intermediate: { step: number; value: number | null }[]
}

/** The trial-list query of the studio API, run in SQL by the store. */
export type { TrialQuery }

export type StoreErrorCode =
  | 'STUDY_NAME_TAKEN'
  | 'STUDY_NOT_FOUND'
  | 'TRIAL_NOT_FOUND'
  | 'DATASET_NOT_FOUND'
  | 'SCHEMA_TOO_NEW'
  | 'BAD_STATE'
  /** A row another build wrote that this one cannot read (the message names the study and the field). */
  | 'BAD_DATA'

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'StoreError'
  }
}

/**
 * Studies, trials, tuner state, leases, control requests, settings and datasets in one SQLite file
 * (WAL, busy timeout), shared by several processes. Every method is synchronous (better-sqlite3) and
 * every multi-row change is one transaction.
 */
export interface StudyStore {
  readonly path: string

  createStudy(spec: StudySpec & { seed: number }): StudyRecord
  getStudy(idOrName: number | string): StudyRecord | null
  listStudies(): StudySummary[]
  setStudyState(studyId: number, state: StudyState, error?: string | null): void
  /** Name, notes, tags; where its trials run (`executor`: null for this machine); `budgetTrials`: the
   * study's trial budget from now on (`--trials N`). */
  updateStudyMeta(
    studyId: number,
    patch: {
      name?: string
      notes?: string
      tags?: string[]
      executor?: ExecutorSpec | null
      budgetTrials?: number
    },
  ): void
  /** Adds to the running-time clock of `budget.minutes`. */
  addRunningTime(studyId: number, ms: number): void
  deleteStudy(studyId: number): void

  /**
   * Adds a trial with the next number of the study. With `tunerState`, the tuner's new state is saved
   * in the same transaction (an ask() that advanced the tuner's RNG).
   */
  createTrial(
    studyId: number,
    trial: {
      state: 'queued' | 'running'
      params: Config
      tunerData?: Json
      agentSnapshot?: AgentSnapshot | null
      userAttrs?: Record<string, Json>
    },
    tunerState?: Uint8Array,
  ): TrialRecord
  /** queued or interrupted → running; sets startedAt, clears the previous attempt's intermediate values and error. */
  startTrial(trialId: number): void
  setTrialBackend(trialId: number, backend: string): void
  /** Sets one user attribute of a trial (the others are kept). */
  setUserAttr(trialId: number, key: string, value: Json): void
  /** Where its executor runs it (a Slurm job and its queue state); a new attempt starts with none. */
  setTrialPlacement(trialId: number, placement: TrialPlacement | null): void
  addIntermediate(trialId: number, step: number, value: number): void
  /**
   * running → complete | pruned | failed, in one transaction with the tuner's new state (when given),
   * which also marks the trial as told to the tuner.
   */
  finishTrial(
    trialId: number,
    result: {
      state: FinishedState
      value: number | null
      /** Several objectives: every objective's value (value is the first). */
      values?: number[] | null
      /** Constraints: the constrained values reported, and whether all hold. */
      constraints?: Record<string, number> | null
      feasible?: boolean | null
      error?: string | null
      userAttrs?: Record<string, Json>
      backend?: string | null
    },
    tuner?: { state: Uint8Array; agentSnapshot?: AgentSnapshot | null },
  ): void
  /** Records that the tuner has been told about a finished trial it had not seen (imported, queued before a restart). */
  markTold(trialId: number, tunerState: Uint8Array): void
  /** running → interrupted (stop, Ctrl-C, stale lease). */
  interruptTrial(trialId: number, reason: string): void
  /**
   * A new study with its trials, numbers, states, values, times and intermediate values as another tool
   * recorded them, in one transaction: all of it or nothing. The tuner is told the finished ones on the next run.
   */
  importStudy(spec: StudySpec & { seed: number }, trials: readonly ImportedTrial[]): StudyRecord
  /** Imported known results become complete trials that were never run here. */
  importTrials(
    studyId: number,
    trials: {
      params: Config
      value: number
      values?: number[] | null
      constraints?: Record<string, number> | null
      feasible?: boolean | null
      userAttrs?: Record<string, Json>
    }[],
  ): TrialRecord[]
  setTestScore(trialId: number, score: number): void
  appendTrialLog(trialId: number, stream: 'stdout' | 'stderr', text: string): void
  /** Many appends in one transaction (a trial's buffered output lines). */
  appendTrialLogs(
    entries: readonly { trialId: number; stream: 'stdout' | 'stderr'; text: string }[],
  ): void
  getTrialLog(trialId: number): TrialLog

  getTrial(studyId: number, trialNumber: number): TrialRecord | null
  listTrials(studyId: number, states?: readonly TrialState[]): TrialRecord[]
  /** Server-side filter, sort and paging for big studies. */
  queryTrials(studyId: number, query: TrialQuery): { total: number; trials: TrialRecord[] }
  /** trial id → its intermediate values ordered by step. */
  getIntermediateValues(studyId: number, trialIds?: number[]): Map<number, IntermediateValue[]>
  /** Every trial's number, state and curve (ordered by step): what a pruner judges by. */
  listTrialCurves(studyId: number): PrunerTrial[]
  /** Finished trials the tuner has not been told about yet, in number order. */
  listUntoldFinished(studyId: number): TrialRecord[]

  getTunerState(studyId: number): Uint8Array | null
  saveTunerState(studyId: number, state: Uint8Array): void

  /**
   * Takes the study's lease, unless a live holder has it. A stale lease (heartbeat older than
   * staleMs, or a holder on this host whose process is gone) is taken over, and its running
   * trials are marked interrupted first.
   */
  acquireLease(
    studyId: number,
    holder: LeaseHolder,
  ): { ok: true } | { ok: false; holder: LeaseInfo }
  heartbeat(studyId: number, holder: LeaseHolder): void
  releaseLease(studyId: number, holder: LeaseHolder): void
  getLease(studyId: number): (LeaseInfo & { stale: boolean }) | null
  /** Marks running trials of every study with a stale lease (or none) interrupted; returns how many. */
  recoverStaleTrials(): number

  requestControl(studyId: number, action: ControlAction, requestedBy: string): void
  /** Returns and deletes the pending control requests of a study, oldest first. */
  takeControlRequests(studyId: number): ControlRequest[]

  getSetting(key: string): Json | undefined
  setSetting(key: string, value: Json): void
  listSettings(): Record<string, Json>

  registerDataset(info: DatasetInfo): DatasetRecord
  getDatasetByPath(path: string): DatasetRecord | null
  linkStudyDataset(studyId: number, datasetId: number, role: 'train' | 'validation' | 'test'): void
  listStudyDatasets(studyId: number): { dataset: DatasetRecord; role: string; hashAtLink: string }[]

  close(): void
}
