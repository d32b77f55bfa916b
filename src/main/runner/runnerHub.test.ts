// The hub's stop during a study's start-up (issue 14: stop works at every moment), with fake workers
// over a real SQLite store.
import os from 'node:os'
import { afterEach, describe, expect, it } from 'vitest'
import { fakeTuner, fakeWorkerHost, type FakeHandler } from '../../../test/helpers/fakeWorkers.ts'
import { closeTestStores, openTestStudy } from '../../../test/helpers/testStudy.ts'
import { createRunnerHub } from './runnerHub.ts'

afterEach(closeTestStores)

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A tuner whose init never answers (a long start-up): only a kill ends it. */
const hangingTuner: FakeHandler = (req) =>
  req.type === 'init' ? new Promise(() => {}) : Promise.reject(new Error(`unexpected ${req.type}`))

function setup() {
  const { store, study } = openTestStudy({
    objective: { kind: 'command', run: ['unused'] },
    space: { x: { type: 'int', low: 0, high: 9 } },
  })
  const workers = fakeWorkerHost({ tuner: hangingTuner, trial: () => null })
  const hub = createRunnerHub({ store, workers, holder: { pid: process.pid, host: os.hostname() } })
  const started = hub.start(study.id)
  return { store, study, workers, hub, started }
}

async function tunerSpawned(workers: ReturnType<typeof fakeWorkerHost>): Promise<void> {
  for (let i = 0; !workers.spawned.some((w) => w.requests.length); i++) {
    if (i > 1000) throw new Error('the tuner was never asked to init')
    await sleep(5)
  }
}

describe('runner hub, stop during start-up', () => {
  it('stop ends a start-up that hangs: the tuner killed, the lease back, the study not running', async () => {
    const r = setup()
    await tunerSpawned(r.workers)
    await r.hub.stop(r.study.id)
    await r.started
    expect(r.workers.spawned[0].killedWith).toBe('SIGKILL')
    expect(r.store.getLease(r.study.id)).toBeNull()
    expect(r.store.getStudy(r.study.id)!.state).toBe('stopped')
    expect(r.hub.isRunningHere(r.study.id)).toBe(false)
  })

  it('shutdown ends the runs still starting, too', async () => {
    const r = setup()
    await tunerSpawned(r.workers)
    await r.hub.shutdown()
    await r.started
    expect(r.workers.spawned[0].killedWith).toBe('SIGKILL')
    expect(r.store.getLease(r.study.id)).toBeNull()
    expect(r.store.getStudy(r.study.id)!.state).not.toBe('running')
  })

  it('a second start while one is starting waits on the first instead of starting twice', async () => {
    const r = setup()
    const again = r.hub.start(r.study.id)
    await tunerSpawned(r.workers)
    await r.hub.stop(r.study.id)
    await Promise.all([r.started, again])
    expect(r.workers.spawned.filter((w) => w.role === 'tuner')).toHaveLength(1)
  })
})

describe('runner hub, trial budget', () => {
  it("makes a start's trials the study's budget, as run --trials does", async () => {
    const { store, study } = openTestStudy({
      objective: { kind: 'command', run: ['unused'] },
      space: { x: { type: 'int', low: 0, high: 9 } },
      budget: { trials: 5 },
    })
    const workers = fakeWorkerHost({
      tuner: fakeTuner(),
      trial: (req) => (req.type === 'run' ? { value: 1, userAttrs: {}, backend: null } : null),
    })
    const hub = createRunnerHub({
      store,
      workers,
      holder: { pid: process.pid, host: os.hostname() },
    })
    await hub.start(study.id, { trials: 2 })
    await hub.whenDone(study.id)
    expect(store.getStudy(study.id)!.spec.budget.trials).toBe(2)
    expect(store.listTrials(study.id).map((t) => t.state)).toEqual(['complete', 'complete'])
    expect(store.listStudies().find((s) => s.id === study.id)!.budgetTrials).toBe(2)
  })
})
