// Runs in main: one trial on one trial worker, from start to an outcome. Intermediate values go to the store
// and the pruner as they arrive; a cancel (prune, stop, time limit, user) asks the worker first and kills it
// (and any process group it started) after the grace period.
import type { Json, TrialRecord } from '../../shared/trial.ts'
import type { StudyEvent } from '../../shared/studyEvent.ts'
import type { TrialRunSpec } from '../../shared/workerProtocol.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { describeExit, WorkerRequestError, type WorkerClient } from '../workers/workerClient.ts'

export const CANCEL_GRACE_MS = 5000

export type CancelReason = 'pruned' | 'timeout' | 'stop' | 'user'

export type TrialOutcome =
  | { state: 'complete'; value: number; userAttrs: Record<string, Json>; backend: string | null }
  | { state: 'pruned'; value: number | null }
  | { state: 'failed'; error: string }
  | { state: 'interrupted'; reason: string }

export interface ActiveTrial {
  trial: TrialRecord
  cancel(reason: CancelReason): void
  /** True once the worker had to be killed (it must be replaced). */
  readonly workerKilled: boolean
  outcome: Promise<TrialOutcome>
}

export interface RunTrialOptions {
  store: StudyStore
  worker: WorkerClient
  trial: TrialRecord
  spec: TrialRunSpec
  /** Asks the pruner after each intermediate value. */
  shouldPrune: (step: number, value: number) => Promise<boolean>
  emit: (event: StudyEvent) => void
}

export function runTrial(o: RunTrialOptions): ActiveTrial {
  const { store, worker, trial, spec } = o
  let reason: CancelReason | null = null
  let workerKilled = false
  let lastValue: number | null = null
  let processGroup: number | null = null
  let killTimer: NodeJS.Timeout | undefined
  let pruneChecks: Promise<unknown> = Promise.resolve()

  const killWorker = (): void => {
    workerKilled = true
    worker.kill('SIGKILL')
    // a remote worker's process group is on its node, where its executor ends it
    if (processGroup !== null && !worker.remote) {
      try {
        process.kill(-processGroup, 'SIGKILL')
      } catch {
        // already gone
      }
    }
  }
  let waiting = false
  const cancel = (why: CancelReason): void => {
    if (reason) return
    reason = why
    // a trial still in Slurm's queue has no worker to ask: its job is cancelled now
    if (waiting) return killWorker()
    worker.request({ type: 'cancel', reason: why }).catch(() => {})
    killTimer = setTimeout(killWorker, CANCEL_GRACE_MS)
  }
  let timeout: NodeJS.Timeout | undefined
  const startClock = (): void => {
    if (spec.timeoutSeconds && !timeout)
      timeout = setTimeout(() => cancel('timeout'), spec.timeoutSeconds * 1000)
  }
  // Under Slurm the time limit counts from the start on a node, not from the queue.
  const stopPlacement = worker.onPlacement((placement) => {
    waiting = placement.queue !== 'running'
    store.setTrialPlacement(trial.id, placement)
    o.emit({
      type: 'trial-placement',
      studyId: trial.studyId,
      trialNumber: trial.number,
      placement,
    })
    if (!waiting) startClock()
  })
  if (!stopPlacement) startClock()

  const unsubscribe = worker.onEvent((event) => {
    if (!('trialNumber' in event) || event.trialNumber !== trial.number) return
    if (event.type === 'intermediate') {
      if (reason) return
      lastValue = event.value
      store.addIntermediate(trial.id, event.step, event.value)
      o.emit({
        type: 'intermediate',
        studyId: trial.studyId,
        trialNumber: trial.number,
        step: event.step,
        value: event.value,
      })
      pruneChecks = pruneChecks.then(async () => {
        if (!reason && (await o.shouldPrune(event.step, event.value))) cancel('pruned')
      })
    } else if (event.type === 'log') store.appendTrialLog(trial.id, event.stream, event.line + '\n')
    else if (event.type === 'backend') store.setTrialBackend(trial.id, event.backend)
    else if (event.type === 'process-group') processGroup = event.pgid
  })

  // what native libraries print (XGBoost's warnings) belongs to the trial the worker is running
  const stopStderr = worker.onStderr((line) =>
    store.appendTrialLog(trial.id, 'stderr', line + '\n'),
  )

  const outcome = (async (): Promise<TrialOutcome> => {
    try {
      const result = await worker.request({ type: 'run', spec })
      if (!reason)
        return {
          state: 'complete',
          value: result.value,
          userAttrs: result.userAttrs,
          backend: result.backend,
        }
    } catch (e) {
      const err = e as WorkerRequestError
      if (!reason) {
        if (err.code === 'WORKER_EXITED' && err.exit?.ended) {
          killWorker()
          const { reason: why, retry } = err.exit.ended
          return retry ? { state: 'interrupted', reason: why } : { state: 'failed', error: why }
        }
        if (err.code === 'WORKER_EXITED' && err.exit) {
          killWorker()
          const at = lastValue === null ? '' : ` after step value ${lastValue}`
          return {
            state: 'failed',
            error: `${describeExit(err.exit).replace('worker process ended', 'trial worker crashed')}${at}`,
          }
        }
        return { state: 'failed', error: err.message }
      }
    } finally {
      clearTimeout(timeout)
      clearTimeout(killTimer)
      unsubscribe()
      stopStderr()
      stopPlacement?.()
      await pruneChecks.catch(() => {})
    }
    switch (reason as CancelReason) {
      case 'pruned':
        return { state: 'pruned', value: lastValue }
      case 'timeout':
        return {
          state: 'failed',
          error: `the trial exceeded its time limit of ${spec.timeoutSeconds} s`,
        }
      case 'user':
        return { state: 'failed', error: 'cancelled by the user' }
      case 'stop':
        return { state: 'interrupted', reason: 'the study was stopped while this trial ran' }
    }
  })()

  return {
    trial,
    cancel,
    get workerKilled() {
      return workerKilled
    },
    outcome,
  }
}
