// Runs in main: one trial on one trial worker, from start to an outcome. Intermediate values go to the store
// and the pruner as they arrive; a cancel (prune, stop, time limit, user) asks the worker first and kills it
// (and any process group it started) after the grace period (longer for a pruned command, which its
// client tells through the prune file and which may stop by itself).
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

/** A pruned command that asks should_prune() may stop by itself this long before it is killed. */
const pruneGraceMs = (spec: TrialRunSpec): number =>
  spec.objective.kind === 'command' ? spec.objective.pruneGraceSeconds * 1000 : 0

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
    if (processGroup !== null) {
      try {
        process.kill(-processGroup, 'SIGKILL')
      } catch {
        // already gone
      }
    }
  }
  const cancel = (why: CancelReason): void => {
    if (reason) return
    reason = why
    worker.request({ type: 'cancel', reason: why }).catch(() => {})
    killTimer = setTimeout(
      killWorker,
      CANCEL_GRACE_MS + (why === 'pruned' ? pruneGraceMs(spec) : 0),
    )
  }

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
        if (reason) return
        const prune = await o.shouldPrune(event.step, event.value)
        // The answer goes back first: a command's client waits for it in should_prune().
        worker
          .request({ type: 'pruneChecked', trialNumber: trial.number, step: event.step, prune })
          .catch(() => {})
        if (prune) cancel('pruned')
      })
    } else if (event.type === 'log') store.appendTrialLog(trial.id, event.stream, event.line + '\n')
    else if (event.type === 'backend') store.setTrialBackend(trial.id, event.backend)
    else if (event.type === 'user-attr') store.setUserAttr(trial.id, event.key, event.value)
    else if (event.type === 'process-group') processGroup = event.pgid
  })

  // what native libraries print (XGBoost's warnings) belongs to the trial the worker is running
  const stopStderr = worker.onStderr((line) =>
    store.appendTrialLog(trial.id, 'stderr', line + '\n'),
  )

  const timeout = spec.timeoutSeconds
    ? setTimeout(() => cancel('timeout'), spec.timeoutSeconds * 1000)
    : undefined

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
