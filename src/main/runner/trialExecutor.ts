// Runs in main: where a study's trial workers run. An executor starts the worker of a concurrency slot for a
// trial and frees what it held when that worker is gone; trialSlots.ts reuses a worker while it lives, or
// lets it go after each trial when the executor runs one trial per worker. Each executor is one file:
// localExecutor.ts (this machine, the default), slurmExecutor.ts (each trial a Slurm job).
import type { StudyRecord } from '../../shared/study.ts'
import type { DataDescription } from '../../shared/workerProtocol.ts'
import type { StudyStore } from '../store/studyStore.ts'
import type { WorkerClient } from '../workers/workerClient.ts'
import type { WorkerHost } from '../workers/workerHost.ts'
import { createLocalExecutor } from './localExecutor.ts'
import { createSlurmExecutor } from './slurmExecutor.ts'

export interface SlotWorker {
  client: WorkerClient
  /** The GPU the worker is pinned to, null without one. */
  gpu: number | null
}

export interface TrialExecutor {
  /** Starts the trial worker of a slot, for the trial it runs first. */
  start(slot: number, trialNumber: number): SlotWorker
  /** The slot's worker is gone (crashed, killed by a cancel, or let go): frees what it held. */
  release(slot: number): void
  /** Each worker runs one trial (a job of its own): the slot lets it go after its trial. */
  readonly workerPerTrial: boolean
  /** The run ended: ends what may still be out there (a job left in a queue); resolves to warnings. */
  close(): Promise<string[]>
}

export interface ExecutorOptions {
  store: StudyStore
  study: StudyRecord
  workers: WorkerHost
  /** The study's data files, as the check before the run found them. */
  data: DataDescription[]
}

/**
 * The executor the study's spec asks for, ready to start trials; throws StudyDataError with what stops
 * the study (Slurm's check from a node). `warnings` are for the user.
 */
export async function createTrialExecutor(
  o: ExecutorOptions,
): Promise<{ executor: TrialExecutor; warnings: string[] }> {
  const spec = o.study.spec.executor
  if (spec?.kind === 'slurm') return createSlurmExecutor(o, spec)
  return { executor: await createLocalExecutor(o.study.spec, o.workers), warnings: [] }
}
