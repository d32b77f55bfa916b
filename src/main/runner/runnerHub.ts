// Runs in main. Every study this process runs, and the way to ask one run elsewhere to pause or stop.
import type { StudyEvent } from '../../shared/studyEvent.ts'
import type { LeaseHolder, StudyStore } from '../store/studyStore.ts'
import type { WorkerHost } from '../workers/workerHost.ts'

export interface RunnerHubOptions {
  store: StudyStore
  workers: WorkerHost
  holder: LeaseHolder
}

/**
 * Starts, pauses, resumes and stops studies. A study run by this process is controlled directly;
 * one run by another process (CLI, another app window) gets a control request through the database.
 */
export interface RunnerHub {
  /** Starts or resumes a study here; rejects with the holder's pid/host when another live process holds its lease. */
  start(studyId: number, options?: { trials?: number }): Promise<void>
  pause(studyId: number): void
  resume(studyId: number): Promise<void>
  stop(studyId: number): Promise<void>
  /** Fails one running trial with 'cancelled by the user'; the study goes on. */
  cancelTrial(studyId: number, trialNumber: number): void
  isRunningHere(studyId: number): boolean
  /** Resolves when the study run here ends (finished, failed, stopped, paused-and-idle never resolves). */
  whenDone(studyId: number): Promise<void>
  onEvent(listener: (event: StudyEvent) => void): () => void
  /** Stops every study run here (their running trials become interrupted) and the workers. */
  shutdown(): Promise<void>
}
