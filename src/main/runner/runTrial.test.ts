import { afterEach, describe, expect, it, vi } from 'vitest'
import type { StudyEvent } from '../../shared/studyEvent.ts'
import type { TrialPlacement } from '../../shared/trialPlacement.ts'
import { fakeWorker, type FakeWorker } from '../../../test/helpers/fakeWorkers.ts'
import { closeTestStores, openTestStudy } from '../../../test/helpers/testStudy.ts'
import { createWorkerClient } from '../workers/workerClient.ts'
import { trialRunSpec } from './bestConfigTasks.ts'
import { CANCEL_GRACE_MS, cancelledOutcome, runTrial } from './runTrial.ts'

afterEach(() => {
  vi.useRealTimers()
  closeTestStores()
})

/** A trial worker whose run finishes when the test says; a cancel ends it unless `ignoreCancel`. */
function trialWorker(ignoreCancel = false, goals: Record<string, unknown> = {}) {
  let finish!: (value: number) => void
  let abort!: (e: Error) => void
  const worker = fakeWorker('trial', (req) => {
    if (req.type === 'run')
      return new Promise((resolve, reject) => {
        finish = (value) => resolve({ value, ...goals, userAttrs: { seen: true }, backend: 'fake' })
        abort = reject
      })
    if (req.type === 'cancel' && !ignoreCancel)
      abort(Object.assign(new Error('cancelled'), { code: 'CANCELLED' }))
    return null
  })
  return { worker, finish: (v: number) => finish(v) }
}

function start(
  worker: FakeWorker,
  o: {
    shouldPrune?: () => boolean
    timeoutSeconds?: number | null
    study?: Record<string, unknown>
  } = {},
) {
  const { store, study } = openTestStudy(o.study)
  const created = store.createTrial(study.id, { state: 'running', params: { x1: 1, x2: 2 } })
  const trial = store.getTrial(study.id, created.number)!
  const events: StudyEvent[] = []
  const run = runTrial({
    store,
    worker: createWorkerClient(worker),
    trial,
    spec: trialRunSpec(store, study, trial, o.timeoutSeconds ?? null),
    shouldPrune: o.shouldPrune ?? (() => false),
    emit: (e) => events.push(e),
  })
  const step = (step: number, value: number) =>
    worker.event({ type: 'intermediate', trialNumber: trial.number, step, value })
  return { store, study, trial, run, events, step }
}

const tick = () => new Promise((r) => setImmediate(r))

describe('runTrial', () => {
  it("completes with every objective's value and the constraints when the worker reports them", async () => {
    const goals = { values: [0.7, 12], constraints: { mb: 3 }, feasible: true }
    const { worker, finish } = trialWorker(false, goals)
    const { run } = start(worker)
    await tick()
    finish(0.7)
    expect(await run.outcome).toEqual({
      state: 'complete',
      value: 0.7,
      ...goals,
      userAttrs: { seen: true },
      backend: 'fake',
    })
  })

  it('files what the worker reports and completes with its result', async () => {
    const { worker, finish } = trialWorker()
    const { store, study, trial, run, events, step } = start(worker)
    await tick()
    step(0, 0.9)
    step(1, 0.7)
    worker.event({ type: 'log', trialNumber: trial.number, stream: 'stdout', line: 'epoch 1' })
    worker.event({ type: 'log', trialNumber: trial.number + 1, stream: 'stdout', line: 'not ours' })
    worker.event({ type: 'backend', trialNumber: trial.number, backend: 'xgboost', reason: null })
    worker.stderr('WARNING: deprecated parameter')
    finish(0.7)
    expect(await run.outcome).toEqual({
      state: 'complete',
      value: 0.7,
      userAttrs: { seen: true },
      backend: 'fake',
    })
    expect(store.getIntermediateValues(study.id, [trial.id]).get(trial.id)).toEqual([
      { step: 0, value: 0.9 },
      { step: 1, value: 0.7 },
    ])
    expect(store.getTrialLog(trial.id)).toMatchObject({
      stdout: 'epoch 1\n',
      stderr: 'WARNING: deprecated parameter\n',
    })
    expect(store.getTrial(study.id, trial.number)?.backend).toBe('xgboost')
    expect(events.map((e) => e.type)).toEqual(['intermediate', 'intermediate'])
    expect(run.workerKilled).toBe(false)
  })

  it('asks the pruner after each stored value and ends pruned at the last one', async () => {
    const { worker } = trialWorker()
    let stored = 0
    const t = start(worker, {
      shouldPrune: () => {
        stored = t.store.getIntermediateValues(t.study.id, [t.trial.id]).get(t.trial.id)!.length
        return stored === 2
      },
    })
    await tick()
    t.step(0, 3)
    t.step(1, 4)
    t.step(2, 5) // after the cancel: not stored
    expect(await t.run.outcome).toEqual({ state: 'pruned', value: 4, step: 1 })
    // each answer goes to the worker (a command's should_prune() waits for it) before the cancel
    expect(worker.requests.map((r) => r.type)).toEqual([
      'run',
      'pruneChecked',
      'pruneChecked',
      'cancel',
    ])
    expect(worker.requests.filter((r) => r.type === 'pruneChecked')).toMatchObject([
      { step: 0, prune: false },
      { step: 1, prune: true },
    ])
    expect(t.store.getIntermediateValues(t.study.id, [t.trial.id]).get(t.trial.id)).toHaveLength(2)
  })

  it('files a pruner error in the trial log and goes on', async () => {
    const { worker, finish } = trialWorker()
    const t = start(worker, {
      shouldPrune: () => {
        throw new Error('bad rung')
      },
    })
    await tick()
    t.step(0, 1)
    finish(1)
    expect((await t.run.outcome).state).toBe('complete')
    expect(t.store.getTrialLog(t.trial.id).stderr).toBe('[pruner] bad rung\n')
  })

  it('fails a trial whose worker crashed, with the exit and the last value', async () => {
    const { worker } = trialWorker()
    const t = start(worker)
    await tick()
    t.step(0, 0.25)
    worker.crash({ signal: 'SIGSEGV', stderrTail: 'core dumped' })
    expect(await t.run.outcome).toEqual({
      state: 'failed',
      error: 'trial worker crashed (signal SIGSEGV): core dumped after step value 0.25',
    })
    expect(t.run.workerKilled).toBe(true)
  })

  it('ends a cancelled trial by its reason', async () => {
    for (const [reason, outcome] of [
      ['stop', { state: 'interrupted', reason: 'the study was stopped while this trial ran' }],
      ['user', { state: 'failed', error: 'cancelled by the user' }],
    ] as const) {
      const { worker } = trialWorker()
      const t = start(worker)
      await tick()
      t.run.cancel(reason)
      t.run.cancel('pruned') // the first reason stays
      expect(await t.run.outcome).toEqual(outcome)
    }
    expect(cancelledOutcome('timeout', 2, { step: null, value: null })).toEqual({
      state: 'failed',
      error: 'the trial exceeded its time limit of 2 s',
    })
  })

  it('cancels at the time limit and kills a worker that ignores the cancel after the grace period', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { worker } = trialWorker(true)
    const t = start(worker, { timeoutSeconds: 2 })
    await tick()
    vi.advanceTimersByTime(2000)
    await tick()
    expect(worker.requests.map((r) => r.type)).toEqual(['run', 'cancel'])
    expect(worker.killedWith).toBeNull()
    vi.advanceTimersByTime(CANCEL_GRACE_MS)
    expect(worker.killedWith).toBe('SIGKILL')
    expect(await t.run.outcome).toEqual({
      state: 'failed',
      error: 'the trial exceeded its time limit of 2 s',
    })
    expect(t.run.workerKilled).toBe(true)
  })

  it('gives a pruned command its pruneGraceSeconds to stop by itself before the kill, and files its user attributes', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { worker } = trialWorker(true)
    const t = start(worker, {
      shouldPrune: () => true,
      study: {
        objective: { kind: 'command', run: ['train'], pruneGraceSeconds: 10 },
        space: { x1: { type: 'float', low: 0, high: 5 }, x2: { type: 'float', low: 0, high: 5 } },
      },
    })
    await tick()
    worker.event({ type: 'user-attr', trialNumber: t.trial.number, key: 'note', value: { a: 1 } })
    t.step(0, 3)
    await tick()
    expect(worker.requests.map((r) => r.type)).toEqual(['run', 'pruneChecked', 'cancel'])
    vi.advanceTimersByTime(CANCEL_GRACE_MS + 9_999)
    expect(worker.killedWith).toBeNull()
    vi.advanceTimersByTime(1)
    expect(worker.killedWith).toBe('SIGKILL')
    expect(await t.run.outcome).toEqual({ state: 'pruned', value: 3, step: 0 })
    expect(t.store.getTrial(t.study.id, t.trial.number)?.userAttrs).toEqual({ note: { a: 1 } })
  })

  it('files each Slurm placement and counts the time limit from the start on a node', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { worker, place } = queuedTrialWorker()
    const t = start(worker, { timeoutSeconds: 2 })
    place({ queue: 'pending', jobId: '7', reason: 'Resources' })
    expect(t.store.getTrial(t.study.id, t.trial.number)!.placement).toMatchObject({
      queue: 'pending',
      reason: 'Resources',
    })
    vi.advanceTimersByTime(10_000)
    await tick()
    expect(worker.requests.map((r) => r.type)).toEqual(['run'])
    place({ queue: 'running', jobId: '7', node: 'n1' })
    vi.advanceTimersByTime(2000)
    await tick()
    expect(worker.requests.map((r) => r.type)).toEqual(['run', 'cancel'])
    expect(
      t.events.filter((e) => e.type === 'trial-placement').map((e) => e.placement.queue),
    ).toEqual(['submitted', 'pending', 'running'])
  })

  it("cancels a trial still in Slurm's queue at once, with no worker to ask", async () => {
    const { worker, place } = queuedTrialWorker()
    const t = start(worker)
    place({ queue: 'pending', jobId: '8', reason: 'Priority' })
    t.run.cancel('stop')
    expect(worker.killedWith).toBe('SIGKILL')
    expect(await t.run.outcome).toMatchObject({ state: 'interrupted' })
  })

  it('ends a trial with the reason its executor gave: failed, or interrupted to run again', async () => {
    for (const retry of [false, true]) {
      const { worker } = queuedTrialWorker()
      const t = start(worker)
      await tick()
      worker.crash({ ended: { reason: 'node n1 failed under job 9', retry } })
      expect(await t.run.outcome).toEqual(
        retry
          ? { state: 'interrupted', reason: 'node n1 failed under job 9' }
          : { state: 'failed', error: 'node n1 failed under job 9' },
      )
    }
  })
})

describe('runTrial with a chatty program', () => {
  it('writes its log lines in a few batches, all before the outcome', async () => {
    const { worker, finish } = trialWorker()
    const t = start(worker)
    const writes = { appendTrialLog: 0, appendTrialLogs: 0 }
    for (const key of ['appendTrialLog', 'appendTrialLogs'] as const) {
      const real = t.store[key].bind(t.store) as (...a: unknown[]) => void
      vi.spyOn(t.store, key).mockImplementation(((...a: unknown[]) => {
        writes[key]++
        real(...a)
      }) as never)
    }
    await tick()
    for (let i = 0; i < 100_000; i++)
      worker.event({
        type: 'log',
        trialNumber: t.trial.number,
        stream: 'stdout',
        line: `step ${i}`,
      })
    finish(1)
    expect(await t.run.outcome).toMatchObject({ state: 'complete', value: 1 })
    expect(writes.appendTrialLog).toBe(0)
    expect(writes.appendTrialLogs).toBeLessThan(20)
    const log = t.store.getTrialLog(t.trial.id)
    expect(log.stdout.startsWith('step 0\nstep 1\n')).toBe(true)
    expect(log.stdout.endsWith('step 99999\n')).toBe(true)
  })
})

/** A trial worker on a cluster node: remote, with the placement the test gives it (submitted at first). */
function queuedTrialWorker() {
  const { worker } = trialWorker()
  const listeners = new Set<(p: TrialPlacement) => void>()
  let current: TrialPlacement = {
    executor: 'slurm',
    jobName: 'hpo-test-0',
    jobId: null,
    queue: 'submitted',
    reason: null,
    node: null,
  }
  Object.assign(worker, {
    remote: true,
    onPlacement(l: (p: TrialPlacement) => void) {
      listeners.add(l)
      l(current)
      return () => listeners.delete(l)
    },
  })
  const place = (p: Partial<TrialPlacement>) => {
    current = { ...current, reason: null, ...p }
    for (const l of listeners) l(current)
  }
  return { worker, place }
}
