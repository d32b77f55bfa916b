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

  it('pauses with two trials running: both finish, the run ends paused', async () => {
    const r = setup(
      { budget: { trials: 14 }, concurrency: 2 },
      { trial: curveTrials(() => [1, 1, 1, 1], 20) },
    )
    const run = await r.start()
    await until(() => r.trials().filter((t) => t[1] === 'complete').length >= 3)
    run.pause()
    expect(await run.done).toEqual({ state: 'paused', requestedBy: 'local', error: null })
    expect(r.store.getStudy(r.study.id)?.state).toBe('paused')
    expect(r.trials().every((t) => t[1] === 'complete')).toBe(true)
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
})
