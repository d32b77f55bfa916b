// Runs in main: one trial on one trial worker, from start to an outcome. Each intermediate value goes to the
// store, then the pruner is asked; a cancel (prune, stop, time limit, user) asks the worker first and kills it
// (and any process group it started) after the grace period (longer for a pruned command, which its
// client tells through the prune file and which may stop by itself). A worker an executor runs elsewhere
// (a Slurm job) reports its place in the queue; its time limit counts from its start on a node.
import type { Json, TrialRecord } from '../../shared/trial.ts'
import type { TrialPlacement } from '../../shared/trialPlacement.ts'
import type { StudyEvent } from '../../shared/studyEvent.ts'
import { COMMAND_KILL_GRACE_MS, type TrialRunSpec } from '../../shared/workerProtocol.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { createTrialLogBuffer } from '../store/trialLogBuffer.ts'
import { describeExit, WorkerRequestError, type WorkerClient } from '../workers/workerClient.ts'

/** Longer than the trial worker's own grace for a command, so it ends the command's processes first. */
export const CANCEL_GRACE_MS = COMMAND_KILL_GRACE_MS + 2000

export type CancelReason = 'pruned' | 'timeout' | 'stop' | 'user'

export type TrialOutcome =
  | {
      state: 'complete'
      value: number
      /** Several objectives: every objective's value. */
      values?: number[]
      /** Constraints: the constrained values, and whether all hold. */
      constraints?: Record<string, number>
      feasible?: boolean
      userAttrs: Record<string, Json>
      backend: string | null
    }
  | { state: 'pruned'; value: number | null; step: number | null }
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
  /** Asks the pruner, after each intermediate value is stored. */
  shouldPrune: () => boolean
  emit: (event: StudyEvent) => void
}

/** A pruned command that asks should_prune() may stop by itself this long before it is killed. */
const pruneGraceMs = (spec: TrialRunSpec): number =>
  spec.objective.kind === 'command' ? spec.objective.pruneGraceSeconds * 1000 : 0

/** How a cancelled trial ended, by the reason it was cancelled. */
export function cancelledOutcome(
  reason: CancelReason,
  timeoutSeconds: number | null,
  last: { step: number | null; value: number | null },
): TrialOutcome {
  switch (reason) {
    case 'pruned':
      return { state: 'pruned', value: last.value, step: last.step }
    case 'timeout':
      return { state: 'failed', error: `the trial exceeded its time limit of ${timeoutSeconds} s` }
    case 'user':
      return { state: 'failed', error: 'cancelled by the user' }
    case 'stop':
      return { state: 'interrupted', reason: 'the study was stopped while this trial ran' }
  }
}

/**
 * A run request that failed: the worker crashed (with its last step value), its executor ended it (Slurm's
 * reason; a node failure or preemption interrupts the trial, to run again), or the objective failed.
 */
function failedOutcome(err: WorkerRequestError, lastValue: number | null): TrialOutcome {
  if (err.code !== 'WORKER_EXITED' || !err.exit) return { state: 'failed', error: err.message }
  const ended = err.exit.ended
  if (ended)
    return ended.retry
      ? { state: 'interrupted', reason: ended.reason }
      : { state: 'failed', error: ended.reason }
  const at = lastValue === null ? '' : ` after step value ${lastValue}`
  const crashed = describeExit(err.exit).replace('worker process ended', 'trial worker crashed')
  return { state: 'failed', error: `${crashed}${at}` }
}

/**
 * Files what the worker reports about the trial: logs (its stderr too: what native libraries print, such
 * as XGBoost's warnings, belongs to the trial it runs), backend, user attributes, its executor placement;
 * intermediate values, the process group and the placement go to `on` too. Returns the unsubscribe.
 */
function followWorker(
  o: RunTrialOptions,
  on: {
    intermediate: (step: number, value: number) => void
    processGroup: (pgid: number) => void
    placement: (placement: TrialPlacement) => void
  },
): () => void {
  const { store, trial } = o
  // a progress bar prints thousands of lines a second: they reach the store in batches
  const logs = createTrialLogBuffer(store, {
    onError: (e) =>
      o.emit({
        type: 'warning',
        studyId: trial.studyId,
        message: `trial ${trial.number}'s log: ${e.message}`,
      }),
  })
  const stopEvents = o.worker.onEvent((event) => {
    if (!('trialNumber' in event) || event.trialNumber !== trial.number) return
    if (event.type === 'intermediate') on.intermediate(event.step, event.value)
    else if (event.type === 'log') logs.add(trial.id, event.stream, event.line + '\n')
    else if (event.type === 'backend') store.setTrialBackend(trial.id, event.backend)
    else if (event.type === 'user-attr') store.setUserAttr(trial.id, event.key, event.value)
    else if (event.type === 'process-group') on.processGroup(event.pgid)
  })
  const stopStderr = o.worker.onStderr((line) => logs.add(trial.id, 'stderr', line + '\n'))
  const stopPlacement = o.worker.onPlacement((placement) => {
    store.setTrialPlacement(trial.id, placement)
    o.emit({
      type: 'trial-placement',
      studyId: trial.studyId,
      trialNumber: trial.number,
      placement,
    })
    on.placement(placement)
  })
  return () => {
    stopEvents()
    stopStderr()
    stopPlacement?.()
    logs.flush()
  }
}

/** Stores an intermediate value, tells the watchers, then asks the pruner (whose error is logged, not fatal). */
export function recordIntermediate(
  o: Pick<RunTrialOptions, 'store' | 'emit' | 'shouldPrune'>,
  trial: TrialRecord,
  step: number,
  value: number,
): boolean {
  o.store.addIntermediate(trial.id, step, value)
  o.emit({ type: 'intermediate', studyId: trial.studyId, trialNumber: trial.number, step, value })
  try {
    return o.shouldPrune()
  } catch (e) {
    o.store.appendTrialLog(trial.id, 'stderr', `[pruner] ${(e as Error).message}\n`)
    return false
  }
}

export function runTrial(o: RunTrialOptions): ActiveTrial {
  const { worker, trial, spec } = o
  let reason: CancelReason | null = null
  let workerKilled = false
  const last: { step: number | null; value: number | null } = { step: null, value: null }
  let processGroup: number | null = null
  let killTimer: NodeJS.Timeout | undefined

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
  // still in its executor's queue: there is no worker to ask yet
  let waiting = false
  const cancel = (why: CancelReason): void => {
    if (reason) return
    reason = why
    if (waiting) return killWorker()
    worker.request({ type: 'cancel', reason: why }).catch(() => {})
    killTimer = setTimeout(
      killWorker,
      CANCEL_GRACE_MS + (why === 'pruned' ? pruneGraceMs(spec) : 0),
    )
  }
  let timeout: NodeJS.Timeout | undefined
  const startClock = (): void => {
    if (spec.timeoutSeconds && !timeout)
      timeout = setTimeout(() => cancel('timeout'), spec.timeoutSeconds * 1000)
  }

  const unfollow = followWorker(o, {
    intermediate(step, value) {
      if (reason) return
      last.step = step
      last.value = value
      const prune = recordIntermediate(o, trial, step, value)
      // The answer goes back first: a command's client waits for it in should_prune().
      worker
        .request({ type: 'pruneChecked', trialNumber: trial.number, step, prune })
        .catch(() => {})
      if (prune) cancel('pruned')
    },
    processGroup: (pgid) => (processGroup = pgid),
    placement(placement) {
      waiting = placement.queue !== 'running'
      if (!waiting) startClock()
    },
  })
  // a remote worker's clock starts when its executor says it runs
  if (!worker.remote) startClock()

  const outcome = (async (): Promise<TrialOutcome> => {
    try {
      const { value, values, constraints, feasible, userAttrs, backend } = await worker.request({
        type: 'run',
        spec,
      })
      // several objectives and constraints ride along; a single-objective outcome stays as it was
      if (!reason)
        return {
          state: 'complete',
          value,
          ...(values ? { values } : {}),
          ...(constraints ? { constraints } : {}),
          ...(typeof feasible === 'boolean' ? { feasible } : {}),
          userAttrs,
          backend,
        }
    } catch (e) {
      if (!reason) {
        if ((e as WorkerRequestError).exit) killWorker()
        return failedOutcome(e as WorkerRequestError, last.value)
      }
    } finally {
      clearTimeout(timeout)
      clearTimeout(killTimer)
      unfollow()
    }
    return cancelledOutcome(reason!, spec.timeoutSeconds, last)
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
