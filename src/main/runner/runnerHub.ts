// Runs in main. Every study this process runs, and the way to ask one run elsewhere to pause or stop.
import type { StudyEvent } from '../../shared/studyEvent.ts'
import type { LeaseHolder, StudyStore } from '../store/studyStore.ts'
import type { WorkerHost } from '../workers/workerHost.ts'
import { startStudyRun, type StudyRun } from './studyRunner.ts'

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
  /**
   * Starts or resumes a study here; rejects with the holder's pid/host when another live process holds its
   * lease. `trials` becomes the study's trial budget.
   */
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

export function createRunnerHub(o: RunnerHubOptions): RunnerHub {
  const runs = new Map<number, StudyRun>()
  // studies in start-up (the data check, the tuner's init): a stop or a shutdown aborts it
  const starting = new Map<number, { abort: AbortController; started: Promise<void> }>()
  const listeners = new Set<(event: StudyEvent) => void>()
  const emit = (event: StudyEvent): void => {
    for (const l of listeners) l(event)
  }

  async function start(studyId: number, options: { trials?: number } = {}): Promise<void> {
    // the study's budget from now on, as `run --trials N` makes it (a run here rereads it at each heartbeat)
    if (options.trials !== undefined)
      o.store.updateStudyMeta(studyId, { budgetTrials: options.trials })
    if (runs.has(studyId)) {
      runs.get(studyId)!.resume()
      return
    }
    const pending = starting.get(studyId)
    if (pending) return pending.started
    const abort = new AbortController()
    const started = (async () => {
      let run: StudyRun
      try {
        run = await startStudyRun({
          store: o.store,
          workers: o.workers,
          holder: o.holder,
          studyId,
          signal: abort.signal,
          onEvent: emit,
        })
      } catch (e) {
        if (abort.signal.aborted) return // stopped in start-up: nothing ran, the lease is back
        throw e
      } finally {
        starting.delete(studyId)
      }
      runs.set(studyId, run)
      void run.done.finally(() => runs.delete(studyId))
      if (abort.signal.aborted) run.stop() // the tuner was ready just as the stop came
    })()
    starting.set(studyId, { abort, started })
    return started
  }

  /** Aborts a study's start-up; false when it is not starting here. */
  async function abortStart(studyId: number): Promise<boolean> {
    const pending = starting.get(studyId)
    if (!pending) return false
    pending.abort.abort()
    await pending.started.catch(() => {})
    await runs.get(studyId)?.done
    return true
  }

  return {
    start,
    pause(studyId) {
      const run = runs.get(studyId)
      if (run) run.pause()
      else o.store.requestControl(studyId, 'pause', `pid ${o.holder.pid} on ${o.holder.host}`)
    },
    async resume(studyId) {
      const run = runs.get(studyId)
      if (run) return run.resume()
      const lease = o.store.getLease(studyId)
      if (lease && !lease.stale && !(lease.pid === o.holder.pid && lease.host === o.holder.host)) {
        o.store.requestControl(studyId, 'resume', `pid ${o.holder.pid} on ${o.holder.host}`)
        return
      }
      await start(studyId)
    },
    async stop(studyId) {
      if (await abortStart(studyId)) return
      const run = runs.get(studyId)
      if (!run) {
        o.store.requestControl(studyId, 'stop', `pid ${o.holder.pid} on ${o.holder.host}`)
        return
      }
      run.stop()
      await run.done
    },
    cancelTrial(studyId, trialNumber) {
      if (!runs.get(studyId)?.cancelTrial(trialNumber)) {
        throw new Error(`trial ${trialNumber} of study ${studyId} is not running in this process`)
      }
    },
    isRunningHere: (studyId) => runs.has(studyId),
    async whenDone(studyId) {
      await runs.get(studyId)?.done
    },
    onEvent(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async shutdown() {
      await Promise.all([...starting.keys()].map(abortStart))
      const all = [...runs.values()]
      for (const run of all) run.stop()
      await Promise.all(all.map((r) => r.done))
    },
  }
}
