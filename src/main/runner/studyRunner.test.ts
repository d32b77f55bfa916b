// The run loop's composition with in-process fake workers over a real SQLite store: fast and exact about
// order and outcome. test/integration/studyRunner.test.ts runs the same loop with real worker processes.
import os from 'node:os'
import { afterEach, describe, expect, it } from 'vitest'
import type { StudyEvent } from '../../shared/studyEvent.ts'
import {
  fakeTuner,
  fakeWorkerHost,
  type FakeHandler,
  type FakeWorker,
} from '../../../test/helpers/fakeWorkers.ts'
import { closeTestStores, openTestStudy } from '../../../test/helpers/testStudy.ts'
import { ExternalTrialError } from './externalTrials.ts'
import { startStudyRun } from './studyRunner.ts'

afterEach(closeTestStores)

const holder = { pid: process.pid, host: os.hostname() }
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * A trial worker that reports curve(x) one step every `stepMs` and returns its last value; a cancel makes
 * the run fail as the real worker's does.
 */
function curveTrials(curve: (x: number) => number[], stepMs = 5): FakeHandler {
  const cancelled = new Set<FakeWorker>()
  return (req, w) => {
    if (req.type === 'cancel') {
      cancelled.add(w)
      return null
    }
    if (req.type !== 'run') throw new Error(`unexpected ${req.type}`)
    cancelled.delete(w)
    const values = curve(req.spec.params.x as number)
    return (async () => {
      for (const [step, value] of values.entries()) {
        if (cancelled.has(w)) break
        w.event({ type: 'intermediate', trialNumber: req.spec.trialNumber, step, value })
        await sleep(stepMs)
      }
      if (cancelled.has(w)) throw Object.assign(new Error('cancelled'), { code: 'CANCELLED' })
      return { value: values.at(-1)!, userAttrs: {}, backend: null }
    })()
  }
}

function setup(
  extra: Record<string, unknown>,
  handlers: { tuner?: FakeHandler; trial: FakeHandler },
) {
  const { store, study } = openTestStudy({
    objective: { kind: 'command', run: ['unused'] },
    space: { x: { type: 'int', low: 0, high: 1000 } },
    ...extra,
  })
  const workers = fakeWorkerHost({ tuner: handlers.tuner ?? fakeTuner(), trial: handlers.trial })
  const events: StudyEvent[] = []
  const start = (trials?: number) =>
    startStudyRun({
      store,
      studyId: study.id,
      workers,
      holder,
      trials,
      onEvent: (e) => events.push(e),
      heartbeatMs: 20,
    })
  const trials = () => store.listTrials(study.id).map((t) => [t.number, t.state, t.value])
  return { store, study, workers, events, start, trials }
}

/** The code of the ExternalTrialError a client's call is refused with. */
async function refusal(call: () => unknown): Promise<string> {
  try {
    await call()
  } catch (e) {
    if (e instanceof ExternalTrialError) return e.code
    throw e
  }
  throw new Error('the call was not refused')
}

const noTrialWorker: FakeHandler = (req) => {
  throw new Error(`an external study started a trial worker (${req.type})`)
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; !cond(); i++) {
    if (i > 1000) throw new Error('condition not met in time')
    await sleep(5)
  }
}

describe('study run (fake workers)', () => {
  it('keeps every slot busy until the budget, reusing the workers, and tells the tuner each result', async () => {
    const r = setup(
      { budget: { trials: 5 }, concurrency: 2 },
      { trial: curveTrials((x) => [10 - x]) },
    )
    const run = await r.start()
    expect(await run.done).toEqual({ state: 'finished', requestedBy: null, error: null })
    expect(r.trials()).toEqual([0, 1, 2, 3, 4].map((n) => [n, 'complete', 10 - n]))
    const roles = r.workers.spawned.map((w) => w.role)
    expect(roles).toEqual(['tuner', 'trial', 'trial'])
    const tuner = r.workers.spawned[0]
    expect(tuner.requests.filter((q) => q.type === 'tell')).toHaveLength(5)
    expect(tuner.killedWith).toBe('SIGKILL')
    expect(r.store.getTunerState(r.study.id)).toEqual(Uint8Array.of(5, 5))
    const best = r.events.filter((e) => e.type === 'trial-finished' && e.isBest)
    expect(best.map((e) => e.type === 'trial-finished' && e.trialNumber)).toEqual([0, 1, 2, 3, 4])
    expect(
      r.events
        .filter((e) => e.type === 'study-state')
        .map((e) => e.type === 'study-state' && e.state),
    ).toEqual(['running', 'finished'])
    expect(r.store.getLease(r.study.id)).toBeNull()
  })

  it("prunes a lagging trial with the study's pruner, reading the curves from the store", async () => {
    const r = setup(
      { budget: { trials: 4 }, pruner: { kind: 'median', minTrials: 2 } },
      { trial: curveTrials((x) => (x < 3 ? [1, 0.5, 0.25] : [9, 8, 7, 6, 5, 4]), 10) },
    )
    const run = await r.start()
    await run.done
    expect(r.trials()).toEqual([
      [0, 'complete', 0.25],
      [1, 'complete', 0.25],
      [2, 'complete', 0.25],
      [3, 'pruned', 9],
    ])
    const tuner = r.workers.spawned[0]
    const told = tuner.requests.flatMap((q) => (q.type === 'tell' ? [q.trial] : []))
    expect(told.at(-1)).toMatchObject({
      number: 3,
      state: 'pruned',
      intermediate: [{ step: 0, value: 9 }],
    })
    // the pruned trial's worker was asked to cancel, not killed: one trial worker served them all
    expect(r.workers.spawned.filter((w) => w.role === 'trial')).toHaveLength(1)
  })

  it('pauses with two trials running: both finish, a proposal that arrives after the pause stays queued and runs first on resume', async () => {
    // The pause lands while the tuner works on its 5th proposal, as when the user pauses between a trial's
    // end and the next trial's start.
    let pause = (): void => {}
    const tuner = fakeTuner()
    let asks = 0
    const r = setup(
      { budget: { trials: 14 }, concurrency: 2 },
      {
        tuner: (req, w) => {
          if (req.type === 'ask' && ++asks === 5) pause()
          return tuner(req, w)
        },
        trial: curveTrials(() => [1, 1, 1, 1], 20),
      },
    )
    let run = await r.start()
    pause = () => run.pause()
    expect(await run.done).toEqual({ state: 'paused', requestedBy: 'local', error: null })
    expect(r.store.getStudy(r.study.id)?.state).toBe('paused')
    const trials = r.store.listTrials(r.study.id)
    const queued = trials.filter((t) => t.state === 'queued')
    expect(queued.length).toBeGreaterThanOrEqual(1)
    expect(queued.every((t) => t.startedAt === null && t.value === null)).toBe(true)
    expect(trials.every((t) => t.state === 'complete' || t.state === 'queued')).toBe(true)
    expect(trials.filter((t) => t.state === 'complete').length).toBeGreaterThanOrEqual(3)

    // No proposal is lost: the queued ones run on resume, and the budget is met without more asks for them.
    run = await r.start()
    expect((await run.done).state).toBe('finished')
    expect(r.trials()).toEqual(Array.from({ length: 14 }, (_, i) => [i, 'complete', 1]))
    expect(asks).toBe(14)
  })

  it('pauses: the running trial finishes and nothing new starts', async () => {
    const r = setup({ budget: { trials: 5 } }, { trial: curveTrials(() => [1, 1, 1, 1], 20) })
    const run = await r.start()
    await until(() => r.events.some((e) => e.type === 'trial-started'))
    run.pause()
    expect(await run.done).toEqual({ state: 'paused', requestedBy: 'local', error: null })
    expect(r.trials()).toEqual([[0, 'complete', 1]])
    expect(r.store.getStudy(r.study.id)?.state).toBe('paused')
  })

  it('stops on a request from another process: the running trial is interrupted, then re-runs first', async () => {
    const r = setup({ budget: { trials: 2 } }, { trial: curveTrials(() => [1, 1, 1, 1, 1], 20) })
    let run = await r.start()
    await until(() => r.events.some((e) => e.type === 'intermediate'))
    r.store.requestControl(r.study.id, 'stop', 'pid 2 on elsewhere')
    expect(await run.done).toEqual({ state: 'stopped', requestedBy: 'remote', error: null })
    expect(r.trials()).toEqual([[0, 'interrupted', null]])

    run = await r.start()
    expect((await run.done).state).toBe('finished')
    expect(r.trials()).toEqual([
      [0, 'complete', 1],
      [1, 'complete', 1],
    ])
  })

  it('fails one trial the user cancels and goes on', async () => {
    const r = setup({ budget: { trials: 2 } }, { trial: curveTrials(() => [1, 1, 1, 1, 1], 20) })
    const run = await r.start()
    await until(() => r.events.some((e) => e.type === 'intermediate'))
    expect(run.cancelTrial(7)).toBe(false)
    expect(run.cancelTrial(0)).toBe(true)
    expect((await run.done).state).toBe('finished')
    expect(r.store.getTrial(r.study.id, 0)).toMatchObject({
      state: 'failed',
      error: 'cancelled by the user',
    })
    expect(r.store.getTrial(r.study.id, 1)?.state).toBe('complete')
  })

  it('fails the study when the tuner cannot start, and releases the lease', async () => {
    const r = setup(
      {},
      {
        tuner: () => {
          throw Object.assign(new Error('unknown tuner option "foo"'), { code: 'TUNER_ERROR' })
        },
        trial: curveTrials(() => [1]),
      },
    )
    const run = await r.start()
    expect(await run.done).toEqual({
      state: 'failed',
      requestedBy: null,
      error: 'the tuner could not start: unknown tuner option "foo"',
    })
    expect(r.trials()).toEqual([])
    expect(r.store.getStudy(r.study.id)).toMatchObject({
      state: 'failed',
      error: 'the tuner could not start: unknown tuner option "foo"',
    })
    expect(r.store.getLease(r.study.id)).toBeNull()
  })

  it('fails the study when the tuner worker dies, interrupting the running trials', async () => {
    const r = setup({ budget: { trials: 5 } }, { trial: curveTrials(() => [1, 1, 1, 1, 1], 20) })
    const run = await r.start()
    await until(() => r.events.some((e) => e.type === 'intermediate'))
    r.workers.spawned[0].crash({ signal: 'SIGKILL' })
    expect(await run.done).toEqual({
      state: 'failed',
      requestedBy: null,
      error: 'the tuner worker process ended unexpectedly',
    })
    expect(r.trials()).toEqual([[0, 'interrupted', null]])
  })

  it('stops writing when another process took the lease over', async () => {
    const r = setup({ budget: { trials: 5 } }, { trial: curveTrials(() => [1, 1, 1, 1, 1], 20) })
    const run = await r.start()
    await until(() => r.events.some((e) => e.type === 'intermediate'))
    r.store.releaseLease(r.study.id, holder)
    const other = { pid: holder.pid + 1, host: 'elsewhere' }
    expect(r.store.acquireLease(r.study.id, other)).toEqual({ ok: true })
    const outcome = await run.done
    expect(outcome.state).toBe('failed')
    expect(outcome.error).toMatch(
      /lost the lease of study \d+: pid \d+ on host elsewhere took it over/,
    )
    // the trial it ran is left as the new holder marked it, and the study state is not ours to write
    const trial = r.store.getTrial(r.study.id, 0)!
    expect(trial.state).toBe('interrupted')
    expect(trial.error).not.toBe('the study was stopped while this trial ran')
    expect(r.store.listTrials(r.study.id)).toHaveLength(1)
    expect(r.store.getStudy(r.study.id)?.state).toBe('running')
    expect(r.store.getLease(r.study.id)).toMatchObject({ pid: other.pid, host: 'elsewhere' })
  })

  it("runs an external study from its clients: an ask starts a trial, reports meet the pruner, tells are recorded with the tuner's state", async () => {
    const r = setup(
      {
        objective: { kind: 'external' },
        budget: { trials: 3 },
        pruner: { kind: 'median', minTrials: 1 },
      },
      { trial: noTrialWorker },
    )
    const run = await r.start()
    const ext = run.external!
    const a = await ext.ask()
    expect(a).toMatchObject({ number: 0, params: { x: 0 }, heartbeatSeconds: 60 })
    expect(r.trials()).toEqual([[0, 'running', null]])
    expect(await ext.report(0, a.ticket, 0, 1)).toEqual({ prune: false })
    expect(await ext.tell(0, a.ticket, { state: 'complete', value: 1 })).toEqual({
      state: 'complete',
      value: 1,
    })
    const b = await ext.ask()
    // worse than the median at step 0: the client hears it, and its next heartbeat too
    expect(await ext.report(1, b.ticket, 0, 9)).toEqual({ prune: true })
    expect(ext.heartbeat(1, b.ticket)).toEqual({ prune: true })
    expect(await ext.tell(1, b.ticket, { state: 'pruned', value: 9 })).toEqual({
      state: 'pruned',
      value: 9,
    })
    expect(await refusal(() => ext.tell(1, b.ticket, { state: 'complete', value: 2 }))).toBe(
      'ALREADY_TOLD',
    )
    const c = await ext.ask()
    expect(await refusal(() => ext.tell(2, a.ticket, { state: 'complete', value: 2 }))).toBe(
      'TRIAL_NOT_OWNED',
    )
    await ext.tell(2, c.ticket, { state: 'failed', error: 'out of memory' })
    expect(await refusal(() => ext.ask())).toBe('BUDGET_SPENT')
    expect(await run.done).toEqual({ state: 'finished', requestedBy: null, error: null })
    expect(r.trials()).toEqual([
      [0, 'complete', 1],
      [1, 'pruned', 9],
      [2, 'failed', null],
    ])
    expect(r.workers.spawned.map((w) => w.role)).toEqual(['tuner'])
    const tuner = r.workers.spawned[0]
    expect(tuner.requests.filter((q) => q.type === 'tell')).toHaveLength(3)
    expect(r.store.getTunerState(r.study.id)).toEqual(Uint8Array.of(3, 3))
    expect(r.store.getTrial(r.study.id, 2)?.error).toBe('out of memory')
  })

  it("interrupts a quiet client's trial and asks it again; a stop interrupts the trials clients run", async () => {
    const r = setup(
      { objective: { kind: 'external', heartbeatSeconds: 0.05 }, concurrency: 2 },
      { trial: noTrialWorker },
    )
    const run = await r.start()
    const ext = run.external!
    const quiet = await ext.ask()
    await until(() => r.store.getTrial(r.study.id, 0)?.state === 'interrupted')
    expect(await refusal(() => ext.report(0, quiet.ticket, 0, 1))).toBe('TRIAL_EXPIRED')
    const again = await ext.ask()
    expect(again).toMatchObject({ number: 0, params: quiet.params })
    expect(again.ticket).not.toBe(quiet.ticket)
    const other = await ext.ask()
    expect(other.number).toBe(1)
    expect(await refusal(() => ext.ask())).toBe('BUSY')
    run.stop()
    expect(await run.done).toEqual({ state: 'stopped', requestedBy: 'local', error: null })
    expect(r.trials()).toEqual([
      [0, 'interrupted', null],
      [1, 'interrupted', null],
    ])
    expect(await refusal(() => ext.ask())).toBe('STOPPED')
    expect(await refusal(() => ext.heartbeat(1, other.ticket))).toBe('CANCELLED')
  })
})
