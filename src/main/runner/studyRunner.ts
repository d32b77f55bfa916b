// Runs in main: the ask/tell loop of one study, composed of its parts. The run's control (runControl.ts)
// holds its state, lease, heartbeat and budget clock; the tuner session (tunerSession.ts) talks to the tuner
// worker; trial slots (trialSlots.ts) keep `concurrency` trial workers from the executor (trialExecutor.ts)
// busy with the trials the source picks (trialSource.ts); each trial runs (runTrial.ts) under the pruner
// (pruneCheck.ts) and its ending is recorded with the tuner's new state (trialResults.ts). An `external`
// study's trials come from the same source, judged and recorded the same way, but start when a client asks
// (externalTrials.ts) and run in the client's process, not on a slot's worker.
import type { StudyRecord } from '../../shared/study.ts'
import type { StudyEvent } from '../../shared/studyEvent.ts'
import { FINISHED_STATES, type TrialRecord } from '../../shared/trial.ts'
import type { LeaseHolder, StudyStore } from '../store/studyStore.ts'
import { createWorkerClient } from '../workers/workerClient.ts'
import type { WorkerHost } from '../workers/workerHost.ts'
import { hasTestSet, scoreBestOnTest } from './bestConfigTasks.ts'
import {
  createExternalTrials,
  type ExternalTrials,
  type RunExternalTrials,
} from './externalTrials.ts'
import { launchTrial, markTrialStarted } from './launchTrial.ts'
import { createPruneCheck, type PruneCheck } from './pruneCheck.ts'
import { createRunBudget } from './runBudget.ts'
import { createRunControl, takeLease, type RunControl } from './runControl.ts'
import {
  cancelsTrials,
  leaseLost,
  mayLaunch,
  type Requester,
  type RunState,
  type StudyRunOutcome,
} from './runState.ts'
import { checkStudyData } from './studyData.ts'
import { recordIntermediate, type ActiveTrial } from './runTrial.ts'
import { createTrialExecutor, type TrialExecutor } from './trialExecutor.ts'
import { createTrialResults } from './trialResults.ts'
import { createTrialSlots } from './trialSlots.ts'
import { createTrialSource, type TrialSource } from './trialSource.ts'
import { createTunerSession } from './tunerSession.ts'

export interface StudyRunnerOptions {
  store: StudyStore
  studyId: number
  workers: WorkerHost
  holder: LeaseHolder
  /** Total trial budget for this run (`--trials N`), overriding the study file's. */
  trials?: number
  /** Aborted during start-up (Ctrl-C before the run is handed back): the workers it started are killed. */
  signal?: AbortSignal
  onEvent: (event: StudyEvent) => void
  heartbeatMs?: number
}

export interface StudyRun {
  readonly studyId: number
  pause(by?: Requester): void
  resume(): void
  stop(by?: Requester): void
  cancelTrial(trialNumber: number): boolean
  /** An `external` study's trials, which clients ask for; null for the other objectives. */
  readonly external: ExternalTrials | null
  readonly done: Promise<StudyRunOutcome>
}

/** Starts running a study: takes its lease (or throws LeaseHeldError) and returns a handle on the run. */
export async function startStudyRun(o: StudyRunnerOptions): Promise<StudyRun> {
  const study = o.store.getStudy(o.studyId)
  if (!study) throw new Error(`study ${o.studyId} does not exist`)
  takeLease(o.store, study, o.holder)
  let warnings: string[], executor: TrialExecutor
  try {
    o.signal?.throwIfAborted()
    const checked = await checkStudyData(o.store, study, o.workers, o.signal)
    const chosen = await createTrialExecutor({ ...o, study, data: checked.data })
    warnings = [...checked.warnings, ...chosen.warnings]
    executor = chosen.executor
  } catch (e) {
    o.store.releaseLease(study.id, o.holder)
    throw e
  }
  const run = composeRun(o, study, executor)
  await run.start(warnings)
  return run.handle
}

/** The parts of one run, wired together; `onChange` reacts to each change of the run's state. */
function assembleRun(
  o: StudyRunnerOptions,
  study: StudyRecord,
  executor: TrialExecutor,
  onChange: (state: RunState) => void,
  externalRunning: () => ActiveTrial[],
) {
  const { store } = o
  const studyId = study.id
  const budget = createRunBudget({
    trials: o.trials ?? study.spec.budget.trials,
    ms: study.spec.budget.minutes ? study.spec.budget.minutes * 60_000 : Infinity,
    finished: store.listTrials(studyId, FINISHED_STATES).length,
    runningMs: study.runningMs,
    record: (ms) => store.addRunningTime(studyId, ms),
    // trials imported meanwhile count at once, and a budget raised by `resume --trials` applies at once
    recount: () => ({
      finished: store.listTrials(studyId, FINISHED_STATES).length,
      trials: o.trials ?? store.getStudy(studyId)?.spec.budget.trials,
    }),
  })
  const tuner = createTunerSession(createWorkerClient(o.workers.spawn('tuner')), store, study)
  const control = createRunControl({
    store,
    studyId,
    holder: o.holder,
    heartbeatMs: o.heartbeatMs,
    budget,
    emit: o.onEvent,
    onChange,
  })
  const slots = createTrialSlots(study.spec.concurrency, executor)
  const running = (): ActiveTrial[] => [...slots.running().map((s) => s.run), ...externalRunning()]
  const canLaunch = () => mayLaunch(control.state) && budget.allows(running().length)
  const source = createTrialSource({
    store,
    studyId,
    tuner,
    running: () => running().map((r) => r.trial),
    mayLaunch: canLaunch,
  })
  const results = createTrialResults({
    store,
    study,
    tuner,
    pending: source.pending,
    onFinished: budget.trialFinished,
    emit: o.onEvent,
  })
  return {
    tuner,
    control,
    slots,
    running,
    canLaunch,
    source,
    results,
    shouldPrune: createPruneCheck(store, study),
  }
}

/** The loop: fill free slots while the run may launch, record each ending, end when nothing runs. */
function composeRun(o: StudyRunnerOptions, study: StudyRecord, executor: TrialExecutor) {
  const { store, onEvent: emit } = o
  const studyId = study.id
  let external: RunExternalTrials | null = null
  const parts = assembleRun(
    o,
    study,
    executor,
    (state) => {
      if (cancelsTrials(state)) for (const run of parts.running()) run.cancel('stop')
      external?.expire(Date.now())
      void fill()
    },
    () => external?.running() ?? [],
  )
  const { tuner, control, slots, running, canLaunch, source, results, shouldPrune } = parts
  const fail = (error: string) => control.send({ type: 'fail', error })
  let resolveDone!: (outcome: StudyRunOutcome) => void
  const done = new Promise<StudyRunOutcome>((r) => (resolveDone = r))

  /** Records the trial's ending once it settles, then frees what it held and fills again. */
  function follow(run: ActiveTrial, vacate: () => void): Promise<void> {
    return run.outcome
      .then((outcome) => {
        if (!leaseLost(control.state)) return results.record(run.trial, outcome)
      })
      .catch((e: Error) => fail(`could not record trial ${run.trial.number}: ${e.message}`))
      .finally(() => {
        vacate()
        void fill()
      })
  }

  function launch(trial: TrialRecord, slot: number): void {
    const { run } = launchTrial({ store, study, slots, slot, trial, shouldPrune, emit })
    void follow(run, () => slots.vacate(slot))
  }

  if (study.spec.objective.kind === 'external')
    external = externalTrialsOf(study, {
      ...parts,
      shouldPrune,
      store,
      emit,
      launch: (trial, run) => {
        markTrialStarted({ store, study, trial, emit })
        return follow(run, () => {})
      },
    })

  let filling = false
  async function fill(): Promise<void> {
    if (filling) return
    filling = true
    try {
      // an external study's trials start when a client asks, not when a slot is free
      for (let slot = slots.free(); !external && slot >= 0 && canLaunch(); slot = slots.free()) {
        const trial = await source.next()
        if (!trial) break
        launch(trial, slot)
      }
    } catch (e) {
      fail(`the tuner failed: ${(e as Error).message}`)
    } finally {
      filling = false
    }
    if (running().length === 0 && !canLaunch()) end()
  }

  function end(): void {
    if (control.state.kind === 'ended') return
    const { outcome } = control.end(store.listTrials(studyId))
    slots.close()
    tuner.close()
    void (async () => {
      if (outcome.state === 'finished' && hasTestSet(study)) await scoreOnTest(o, studyId)
      for (const message of await executor.close()) emit({ type: 'warning', studyId, message })
      control.close()
      resolveDone(outcome)
    })()
  }

  async function start(dataWarnings: string[]): Promise<void> {
    const abort = () => tuner.close()
    if (o.signal?.aborted) abort()
    o.signal?.addEventListener('abort', abort)
    try {
      await tuner.start()
      tuner.onExit(() => fail('the tuner worker process ended unexpectedly'))
    } catch (e) {
      // Ctrl-C while the tuner started: the run ends stopped, not failed
      if (o.signal?.aborted) control.send({ type: 'stop', by: 'local' })
      else fail(`the tuner could not start: ${(e as Error).message}`)
    } finally {
      o.signal?.removeEventListener('abort', abort)
    }
    control.start()
    for (const message of dataWarnings) emit({ type: 'warning', studyId, message })
    void fill()
  }

  const handle: StudyRun = {
    studyId,
    pause: (by = 'local') => control.send({ type: 'pause', by }),
    resume: () => control.send({ type: 'resume' }),
    stop: (by = 'local') => control.send({ type: 'stop', by }),
    cancelTrial(trialNumber) {
      const run = running().find((r) => r.trial.number === trialNumber)
      run?.cancel('user')
      return Boolean(run)
    },
    external,
    done,
  }
  return { start, handle }
}

/** The trials of an `external` study: started when a client asks while the run may launch one. */
function externalTrialsOf(
  study: StudyRecord,
  run: {
    store: StudyStore
    control: RunControl
    running: () => ActiveTrial[]
    canLaunch: () => boolean
    source: TrialSource
    shouldPrune: PruneCheck
    emit: (event: StudyEvent) => void
    launch: (trial: TrialRecord, active: ActiveTrial) => Promise<void>
  },
): RunExternalTrials {
  const { spec } = study
  if (spec.objective.kind !== 'external') throw new Error(`study "${study.name}" is not external`)
  const { store, emit } = run
  return createExternalTrials({
    store,
    studyId: study.id,
    heartbeatSeconds: spec.objective.heartbeatSeconds,
    timeoutSeconds: spec.trialTimeoutSeconds ?? null,
    hooks: {
      refusal: () => externalRefusal(study.name, run.control.state, run.canLaunch()),
      hasRoom: () => run.running().length < spec.concurrency,
      next: () => run.source.next(),
      launch: run.launch,
      report: (trial, step, value) =>
        recordIntermediate(
          { store, emit, shouldPrune: () => run.shouldPrune(trial.number) },
          trial,
          step,
          value,
        ),
    },
  })
}

/** Why a client's ask is refused in this state of the run, or null. */
function externalRefusal(
  name: string,
  state: RunState,
  canLaunch: boolean,
): { code: 'STOPPED' | 'PAUSED' | 'BUDGET_SPENT'; message: string } | null {
  if (state.kind === 'pausing') return { code: 'PAUSED', message: `study "${name}" is paused` }
  const finished = state.kind === 'ended' && state.outcome.state === 'finished'
  if (state.kind !== 'running' && !finished)
    return {
      code: 'STOPPED',
      message: state.kind === 'failing' ? state.error : `study "${name}" is not running`,
    }
  return canLaunch
    ? null
    : { code: 'BUDGET_SPENT', message: `study "${name}" has spent its budget` }
}

/** Scores the best configuration on the held-out test set once the study finished; says how it went. */
async function scoreOnTest(o: StudyRunnerOptions, studyId: number): Promise<void> {
  const warn = (message: string) => o.onEvent({ type: 'warning', studyId, message })
  try {
    const scored = await scoreBestOnTest(o.store, o.store.getStudy(studyId)!, o.workers)
    if (scored)
      warn(
        `test score of the best configuration (trial ${scored.trialNumber}): ${scored.description}`,
      )
  } catch (e) {
    warn(`could not score the best configuration on the test set: ${(e as Error).message}`)
  }
}
