// Runs in main: the ask/tell loop of one study. It holds the study's lease, keeps `concurrency` trial workers
// busy, asks the tuner worker for proposals, writes each result with the tuner's new state in one transaction,
// and obeys pause/stop (local, or requested through the database by another process).
import { isBetter, toLoss, type StudyRecord, type StudyState } from '../../shared/study.ts'
import type { StudyEvent } from '../../shared/studyEvent.ts'
import type { FinishedTrial, PendingTrial, TrialRecord } from '../../shared/trial.ts'
import type { SlurmExecutorSpec } from '../../shared/executorSpec.ts'
import type { DataDescription, TrialRunSpec } from '../../shared/workerProtocol.ts'
import { artifactsDirFor } from '../defaultPaths.ts'
import { cancelStudyJobs, prepareSlurmRun, startSlurmTrialWorker } from '../slurm/slurmTrials.ts'
import type { LeaseHolder, LeaseInfo, StudyStore } from '../store/studyStore.ts'
import { createWorkerClient, type WorkerClient } from '../workers/workerClient.ts'
import type { WorkerHost } from '../workers/workerHost.ts'
import { hasTestSet, scoreBestOnTest, trialRunSpec } from './bestConfigTasks.ts'
import { createGpuAssigner, gpuWorkerEnv, queryGpus } from './gpuAssignment.ts'
import { checkStudyData, StudyDataError } from './studyData.ts'
import { runTrial, type ActiveTrial, type TrialOutcome } from './runTrial.ts'

export const HEARTBEAT_MS = 3000

export class LeaseHeldError extends Error {
  constructor(
    readonly studyName: string,
    readonly holder: LeaseInfo,
  ) {
    super(
      `study "${studyName}" is being run by process ${holder.pid} on ${holder.host} (heartbeat ${holder.heartbeatAt})`,
    )
    this.name = 'LeaseHeldError'
  }
}

export interface StudyRunnerOptions {
  store: StudyStore
  studyId: number
  workers: WorkerHost
  holder: LeaseHolder
  /** Total trial budget for this run (`--trials N`), overriding the study file's. */
  trials?: number
  onEvent: (event: StudyEvent) => void
  heartbeatMs?: number
}

export interface StudyRunOutcome {
  state: StudyState
  /** 'remote' when another process asked for the pause or stop (CLI exit code 3). */
  requestedBy: 'local' | 'remote' | null
  error: string | null
}

export interface StudyRun {
  readonly studyId: number
  pause(by?: 'local' | 'remote'): void
  resume(): void
  stop(by?: 'local' | 'remote'): void
  cancelTrial(trialNumber: number): boolean
  readonly done: Promise<StudyRunOutcome>
}

const toFinished = (
  t: TrialRecord,
  direction: StudyRecord['spec']['direction'],
  intermediate: FinishedTrial['intermediate'],
): FinishedTrial => ({
  number: t.number,
  state: t.state as FinishedTrial['state'],
  params: t.params,
  value: t.value,
  loss: t.state === 'failed' || t.value === null ? null : toLoss(direction, t.value),
  intermediate,
  tunerData: t.tunerData,
})

/** Cancels what an earlier run left in Slurm's queue and checks the cluster from a node; returns warnings. */
async function checkSlurm(
  store: StudyStore,
  study: StudyRecord,
  executor: SlurmExecutorSpec,
  data: DataDescription[],
): Promise<string[]> {
  const r = await prepareSlurmRun(study, executor, data, artifactsDirFor(store.path))
  if (r.problems.length)
    throw new StudyDataError(
      `study "${study.name}" cannot run its trials on Slurm:\n  ${r.problems.join('\n  ')}`,
    )
  return r.warnings
}

const withGpu = (spec: TrialRunSpec, gpu: number | null): TrialRunSpec =>
  gpu === null ? spec : { ...spec, resources: { ...spec.resources, gpu } }

/** Starts running a study: takes its lease (or throws LeaseHeldError) and returns a handle on the run. */
export async function startStudyRun(o: StudyRunnerOptions): Promise<StudyRun> {
  const { store, studyId } = o
  const study = store.getStudy(studyId)
  if (!study) throw new Error(`study ${studyId} does not exist`)
  const lease = store.acquireLease(studyId, o.holder)
  if (!lease.ok) throw new LeaseHeldError(study.name, lease.holder)
  const { spec } = study
  const slurm = spec.executor?.kind === 'slurm' ? spec.executor : null
  let dataWarnings: string[]
  try {
    const checked = await checkStudyData(store, study, o.workers)
    dataWarnings = checked.warnings
    if (slurm) dataWarnings.push(...(await checkSlurm(store, study, slurm, checked.data)))
  } catch (e) {
    store.releaseLease(studyId, o.holder)
    throw e
  }

  const direction = spec.direction
  const budgetTrials = o.trials ?? spec.budget.trials
  const budgetMs = spec.budget.minutes ? spec.budget.minutes * 60_000 : Infinity
  const timeoutSeconds =
    (spec.objective.kind === 'command' ? spec.objective.timeoutSeconds : undefined) ??
    spec.trialTimeoutSeconds ??
    null
  const emit = o.onEvent

  let runningMs = study.runningMs
  let clockAt = Date.now()
  const tickClock = (): void => {
    const now = Date.now()
    store.addRunningTime(studyId, now - clockAt)
    runningMs += now - clockAt
    clockAt = now
  }
  const setState = (state: StudyState, error: string | null = null): void => {
    store.setStudyState(studyId, state, error)
    emit({ type: 'study-state', studyId, state, error })
  }

  // The tuner worker holds the tuner; it is told about every finished trial it has not seen.
  const tuner = createWorkerClient(o.workers.spawn('tuner'))
  const intermediates = store.getIntermediateValues(studyId)
  const all = store.listTrials(studyId)
  const untold = new Set(store.listUntoldFinished(studyId).map((t) => t.id))
  const finishedKnown = all.filter(
    (t) =>
      (t.state === 'complete' || t.state === 'pruned' || t.state === 'failed') && !untold.has(t.id),
  )
  let best: number | null = null
  for (const t of all)
    if (
      t.state === 'complete' &&
      t.value !== null &&
      (best === null || isBetter(direction, t.value, best))
    )
      best = t.value
  let doneCount = all.filter(
    (t) => t.state === 'complete' || t.state === 'pruned' || t.state === 'failed',
  ).length

  const active = new Map<number, { run: ActiveTrial; slot: number }>()
  const slots: (WorkerClient | null)[] = Array.from({ length: spec.concurrency }, () => null)
  const slotGpu: (number | null)[] = slots.map(() => null)
  // Slurm allocates a trial's GPUs itself (--gpus); here, each slot's worker gets one of this machine's.
  const gpuQuery = spec.objective.kind === 'cnn' && !slurm ? await queryGpus() : null
  const gpus = gpuQuery?.gpus.length ? createGpuAssigner(gpuQuery.gpus) : null
  const pending = (): PendingTrial[] => [
    ...[...active.values()].map(({ run }) => ({
      number: run.trial.number,
      params: run.trial.params,
      tunerData: run.trial.tunerData,
    })),
    ...store
      .listTrials(studyId, ['queued', 'interrupted'])
      .map((t) => ({ number: t.number, params: t.params, tunerData: t.tunerData })),
  ]

  let pausing: 'local' | 'remote' | null = null
  let stopping: 'local' | 'remote' | null = null
  let fatal: string | null = null
  // Another process took the lease over (this one stalled past the stale limit): its writes win, ours stop.
  let leaseLost = false
  let filling = false
  let started = false
  let ended = false
  let resolveDone!: (o: StudyRunOutcome) => void
  const done = new Promise<StudyRunOutcome>((r) => (resolveDone = r))

  const budgetLeft = (): boolean =>
    doneCount + active.size < budgetTrials && runningMs + (Date.now() - clockAt) < budgetMs
  const canLaunch = (): boolean => !ended && !pausing && !stopping && !fatal && budgetLeft()

  async function nextTrial(): Promise<TrialRecord | null> {
    const interrupted = store.listTrials(studyId, ['interrupted']).find((t) => !active.has(t.id))
    if (interrupted) return interrupted
    const queued = store.listTrials(studyId, ['queued']).find((t) => !active.has(t.id))
    if (queued) return queued
    const { proposal, state } = await tuner.request({ type: 'ask', pending: pending() })
    // Created queued, then started: a proposal that arrives after a pause or stop, or a crash before the
    // trial starts, leaves a queued trial that runs first next time, so no proposal is lost.
    const trial = store.createTrial(
      studyId,
      {
        state: 'queued',
        params: proposal.params,
        tunerData: proposal.tunerData ?? null,
        agentSnapshot: proposal.agentSnapshot ?? null,
      },
      state,
    )
    return canLaunch() ? trial : null
  }

  async function finish(run: ActiveTrial, slot: number, outcome: TrialOutcome): Promise<void> {
    const t = run.trial
    if (slurm || run.workerKilled || slots[slot]?.exited) {
      // a Slurm job runs one trial: its worker leaves (stdin closed) and the job ends
      slots[slot]?.kill(slurm && !run.workerKilled ? 'SIGTERM' : 'SIGKILL')
      slots[slot] = null
      gpus?.release(slot)
    }
    if (leaseLost) return
    if (outcome.state === 'interrupted') {
      store.interruptTrial(t.id, outcome.reason)
      await tuner
        .request({ type: 'trialState', trialNumber: t.number, state: 'interrupted' })
        .catch(() => {})
      emit({
        type: 'trial-finished',
        studyId,
        trialNumber: t.number,
        state: 'interrupted',
        value: null,
        error: outcome.reason,
        isBest: false,
      })
      return
    }
    const value = outcome.state === 'complete' || outcome.state === 'pruned' ? outcome.value : null
    const error = outcome.state === 'failed' ? outcome.error : null
    const finished = toFinished(
      { ...t, state: outcome.state, value },
      direction,
      store.getIntermediateValues(studyId, [t.id]).get(t.id) ?? [],
    )
    const told = await tuner.request({
      type: 'tell',
      trial: finished,
      pending: pending().filter((p) => p.number !== t.number),
    })
    const result = {
      state: outcome.state,
      value,
      error,
      ...(outcome.state === 'complete'
        ? {
            userAttrs: outcome.userAttrs,
            backend:
              slotGpu[slot] === null
                ? outcome.backend
                : `${outcome.backend ?? 'tfjs'} on GPU ${slotGpu[slot]}`,
          }
        : {}),
    }
    store.finishTrial(t.id, result, { state: told.state, agentSnapshot: told.agentSnapshot })
    if (told.warning) {
      store.appendTrialLog(t.id, 'stderr', `[tuner] ${told.warning}\n`)
      emit({ type: 'warning', studyId, message: told.warning })
    }
    doneCount++
    const isBest =
      outcome.state === 'complete' && (best === null || isBetter(direction, outcome.value, best))
    if (isBest) best = (outcome as { value: number }).value
    emit({
      type: 'trial-finished',
      studyId,
      trialNumber: t.number,
      state: outcome.state,
      value,
      error,
      isBest,
    })
  }

  function launch(trial: TrialRecord, slot: number): void {
    store.startTrial(trial.id)
    const started = store.getTrial(studyId, trial.number) ?? trial
    emit({
      type: 'trial-started',
      studyId,
      trialNumber: trial.number,
      params: trial.params,
      startedAt: started.startedAt ?? new Date().toISOString(),
    })
    let worker = slots[slot]
    if (slurm) worker = slots[slot] = startSlurmTrialWorker(study!, slurm, trial.number)
    else if (!worker || worker.exited) {
      // One trial worker per GPU where there are several: the free GPU first, else the least loaded.
      slotGpu[slot] = gpus?.acquire(slot) ?? null
      worker = slots[slot] = createWorkerClient(
        o.workers.spawn('trial', gpuWorkerEnv(slotGpu[slot])),
      )
    }
    const run = runTrial({
      store,
      worker,
      trial: started,
      spec: withGpu(trialRunSpec(store, study!, trial, timeoutSeconds), slotGpu[slot]),
      shouldPrune: async (step, value) =>
        (await tuner.request({ type: 'report', trialNumber: trial.number, step, value })).prune,
      emit,
    })
    active.set(trial.id, { run, slot })
    void run.outcome
      .then((outcome) => finish(run, slot, outcome))
      .catch((e: Error) => {
        fatal ??= `could not record trial ${trial.number}: ${e.message}`
      })
      .finally(() => {
        active.delete(trial.id)
        void fill()
      })
  }

  async function fill(): Promise<void> {
    if (filling) return
    filling = true
    try {
      while (canLaunch()) {
        const slot = slots.findIndex((_, i) => ![...active.values()].some((a) => a.slot === i))
        if (slot < 0) break
        const trial = await nextTrial()
        if (!trial) break
        await tuner.request({ type: 'trialState', trialNumber: trial.number, state: 'running' })
        launch(trial, slot)
      }
    } catch (e) {
      fatal ??= `the tuner failed: ${(e as Error).message}`
    } finally {
      filling = false
    }
    if (fatal) for (const { run } of active.values()) run.cancel('stop')
    if (active.size === 0 && !canLaunch()) end()
  }

  function end(): void {
    if (ended) return
    ended = true
    clearInterval(heartbeat)
    tickClock()
    for (const w of slots) w?.kill('SIGKILL')
    tuner.kill('SIGKILL')
    let outcome: StudyRunOutcome
    if (fatal) outcome = { state: 'failed', requestedBy: null, error: fatal }
    else if (stopping) outcome = { state: 'stopped', requestedBy: stopping, error: null }
    else if (pausing) outcome = { state: 'paused', requestedBy: pausing, error: null }
    else {
      const trials = store.listTrials(studyId)
      const complete = trials.filter((t) => t.state === 'complete').length
      const failed = trials.filter((t) => t.state === 'failed')
      outcome =
        complete > 0 || trials.some((t) => t.state === 'pruned')
          ? { state: 'finished', requestedBy: null, error: null }
          : {
              state: 'failed',
              requestedBy: null,
              error: `no trial completed (${failed.length} failed${failed[0]?.error ? `; first error: ${failed[0].error}` : ''})`,
            }
    }
    void (async () => {
      if (outcome.state === 'finished' && hasTestSet(study!)) {
        try {
          const scored = await scoreBestOnTest(store, store.getStudy(studyId)!, o.workers)
          if (scored)
            emit({
              type: 'warning',
              studyId,
              message: `test score of the best configuration (trial ${scored.trialNumber}): ${scored.description}`,
            })
        } catch (e) {
          emit({
            type: 'warning',
            studyId,
            message: `could not score the best configuration on the test set: ${(e as Error).message}`,
          })
        }
      }
      // whatever job of this study is still in Slurm's queue (a worker that would not leave) ends now
      if (slurm)
        await cancelStudyJobs(study!).catch((e: Error) =>
          emit({ type: 'warning', studyId, message: e.message }),
        )
      if (!leaseLost) {
        setState(outcome.state, outcome.error)
        store.releaseLease(studyId, o.holder)
      }
      resolveDone(outcome)
    })()
  }

  const heartbeat = setInterval(() => {
    try {
      store.heartbeat(studyId, o.holder)
      if (!started) return
      tickClock()
      for (const req of store.takeControlRequests(studyId)) {
        if (req.action === 'stop') handle.stop('remote')
        else if (req.action === 'pause') handle.pause('remote')
        else handle.resume()
      }
      void fill()
    } catch (e) {
      if ((e as { code?: string }).code === 'BAD_STATE') {
        leaseLost = true
        fatal ??= (e as Error).message
        for (const { run } of active.values()) run.cancel('stop')
        void fill()
      } else
        emit({ type: 'warning', studyId, message: `heartbeat failed: ${(e as Error).message}` })
    }
  }, o.heartbeatMs ?? HEARTBEAT_MS)

  const handle: StudyRun = {
    studyId,
    pause(by = 'local') {
      if (ended || stopping) return
      pausing = by
      void fill()
    },
    resume() {
      if (ended || stopping) return
      pausing = null
      void fill()
    },
    stop(by = 'local') {
      if (ended) return
      stopping = by
      for (const { run } of active.values()) run.cancel('stop')
      void fill()
    },
    cancelTrial(trialNumber) {
      const a = [...active.values()].find(({ run }) => run.trial.number === trialNumber)
      a?.run.cancel('user')
      return Boolean(a)
    },
    done,
  }

  try {
    const exitWatch = (): void => {
      if (!ended) {
        fatal ??= 'the tuner worker process ended unexpectedly'
        for (const { run } of active.values()) run.cancel('stop')
        void fill()
      }
    }
    tuner.onExit(exitWatch)
    await tuner.request({
      type: 'init',
      space: spec.space,
      direction,
      seed: study.seed,
      tuner: spec.tuner,
      pruner: spec.pruner,
      state: store.getTunerState(studyId),
      finished: finishedKnown.map((t) => toFinished(t, direction, intermediates.get(t.id) ?? [])),
      trials: all.map((t) => ({
        number: t.number,
        state: t.state,
        intermediate: intermediates.get(t.id) ?? [],
      })),
    })
    for (const t of store.listUntoldFinished(studyId)) {
      const told = await tuner.request({
        type: 'tell',
        trial: toFinished(t, direction, intermediates.get(t.id) ?? []),
        pending: [],
      })
      store.markTold(t.id, told.state)
    }
  } catch (e) {
    fatal = `the tuner could not start: ${(e as Error).message}`
  }
  // The minutes budget counts the time trials can run, not worker start-up.
  clockAt = Date.now()
  started = true
  setState('running')
  for (const message of dataWarnings) emit({ type: 'warning', studyId, message })
  void fill()
  return handle
}
