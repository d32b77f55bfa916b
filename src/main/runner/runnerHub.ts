// Runs in main. Every study this process runs, and the way to ask one run elsewhere to pause or stop.
import type { StudyEvent } from '../../shared/studyEvent.ts'
import type { LeaseHolder, StudyStore } from '../store/studyStore.ts'
import type { WorkerHost } from '../workers/workerHost.ts'
import { ExternalTrialError, type ExternalTrials } from './externalTrials.ts'
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
  /**
   * The trials of an `external` study, for clients that ask and tell; starts the run here if it is not
   * running (LeaseHeldError when another process runs it). Throws ExternalTrialError NOT_EXTERNAL for
   * another objective.
   */
  external(studyId: number): Promise<ExternalTrials>
}

interface Hub {
  o: RunnerHubOptions
  runs: Map<number, StudyRun>
  // studies in start-up (the data check, the tuner's init): a stop or a shutdown aborts it
  starting: Map<number, { abort: AbortController; started: Promise<void> }>
  emit(event: StudyEvent): void
}

const requester = (holder: LeaseHolder): string => `pid ${holder.pid} on ${holder.host}`

async function start(hub: Hub, studyId: number, options: { trials?: number } = {}): Promise<void> {
  // the study's budget from now on, as `run --trials N` makes it (a run here rereads it at each heartbeat)
  if (options.trials !== undefined)
    hub.o.store.updateStudyMeta(studyId, { budgetTrials: options.trials })
  if (hub.runs.has(studyId)) {
    hub.runs.get(studyId)!.resume()
    return
  }
  const pending = hub.starting.get(studyId)
  if (pending) return pending.started
  const abort = new AbortController()
  const started = launch(hub, studyId, abort)
  hub.starting.set(studyId, { abort, started })
  return started
}

/** Starts the study's run; `abort` stops it in start-up, or as soon as it is ready. */
async function launch(hub: Hub, studyId: number, abort: AbortController): Promise<void> {
  let run: StudyRun
  try {
    run = await startStudyRun({
      store: hub.o.store,
      workers: hub.o.workers,
      holder: hub.o.holder,
      studyId,
      signal: abort.signal,
      onEvent: hub.emit,
    })
  } catch (e) {
    if (abort.signal.aborted) return // stopped in start-up: nothing ran, the lease is back
    throw e
  } finally {
    hub.starting.delete(studyId)
  }
  hub.runs.set(studyId, run)
  void run.done.finally(() => hub.runs.delete(studyId))
  if (abort.signal.aborted) run.stop() // the tuner was ready just as the stop came
}

/** Aborts a study's start-up; false when it is not starting here. */
async function abortStart(hub: Hub, studyId: number): Promise<boolean> {
  const pending = hub.starting.get(studyId)
  if (!pending) return false
  pending.abort.abort()
  await pending.started.catch(() => {})
  await hub.runs.get(studyId)?.done
  return true
}

async function resume(hub: Hub, studyId: number): Promise<void> {
  const { store, holder } = hub.o
  const run = hub.runs.get(studyId)
  if (run) return run.resume()
  const lease = store.getLease(studyId)
  if (lease && !lease.stale && !(lease.pid === holder.pid && lease.host === holder.host)) {
    store.requestControl(studyId, 'resume', requester(holder))
    return
  }
  await start(hub, studyId)
}

async function stop(hub: Hub, studyId: number): Promise<void> {
  if (await abortStart(hub, studyId)) return
  const run = hub.runs.get(studyId)
  if (!run) {
    hub.o.store.requestControl(studyId, 'stop', requester(hub.o.holder))
    return
  }
  run.stop()
  await run.done
}

async function external(hub: Hub, studyId: number): Promise<ExternalTrials> {
  const study = hub.o.store.getStudy(studyId)
  if (study?.spec.objective.kind !== 'external')
    throw new ExternalTrialError(
      'NOT_EXTERNAL',
      `study "${study?.name ?? studyId}" has a ${study?.spec.objective.kind ?? 'missing'} objective: its trials run from its study file; ask and tell need objective kind external`,
    )
  // A client's ask starts the study (created, or left running by a process that is gone), but
  // does not undo what a person did: a stopped or failed study is resumed in the app.
  if (!hub.runs.has(studyId) && (study.state === 'stopped' || study.state === 'failed'))
    throw new ExternalTrialError(
      'STOPPED',
      `study "${study.name}" is ${study.state}${study.error ? ` (${study.error})` : ''}; resume it in the app to ask again`,
    )
  if (!hub.runs.has(studyId)) await start(hub, studyId)
  const run = hub.runs.get(studyId)
  if (run?.external) return run.external
  const now = hub.o.store.getStudy(studyId)!
  throw new ExternalTrialError(
    now.state === 'finished' ? 'BUDGET_SPENT' : 'STOPPED',
    `study "${now.name}" is ${now.state}${now.state === 'finished' ? ': its trial budget is spent' : now.error ? `: ${now.error}` : ''}`,
  )
}

async function shutdown(hub: Hub): Promise<void> {
  await Promise.all([...hub.starting.keys()].map((studyId) => abortStart(hub, studyId)))
  const all = [...hub.runs.values()]
  for (const run of all) run.stop()
  await Promise.all(all.map((r) => r.done))
}

export function createRunnerHub(o: RunnerHubOptions): RunnerHub {
  const listeners = new Set<(event: StudyEvent) => void>()
  const hub: Hub = {
    o,
    runs: new Map(),
    starting: new Map(),
    emit(event) {
      for (const l of listeners) l(event)
    },
  }
  const { runs } = hub
  return {
    start: (studyId, options) => start(hub, studyId, options),
    pause(studyId) {
      const run = runs.get(studyId)
      if (run) run.pause()
      else o.store.requestControl(studyId, 'pause', requester(o.holder))
    },
    resume: (studyId) => resume(hub, studyId),
    stop: (studyId) => stop(hub, studyId),
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
    external: (studyId) => external(hub, studyId),
    shutdown: () => shutdown(hub),
  }
}
