import { afterEach, describe, expect, it } from 'vitest'
import type { WorkerRequest } from '../../shared/workerProtocol.ts'
import { fakeTuner, fakeWorker } from '../../../test/helpers/fakeWorkers.ts'
import { addFinished, closeTestStores, openTestStudy } from '../../../test/helpers/testStudy.ts'
import { createWorkerClient } from '../workers/workerClient.ts'
import { createTunerSession } from './tunerSession.ts'

afterEach(closeTestStores)

const ofType = <T extends WorkerRequest['type']>(reqs: WorkerRequest[], type: T) =>
  reqs.filter((r): r is Extract<WorkerRequest, { type: T }> => r.type === type)

describe('tuner session', () => {
  it('starts the tuner with what it knows, then tells it the untold trials and marks them told', async () => {
    const { store, study } = openTestStudy({
      direction: 'maximize',
      objective: { kind: 'command', run: ['true'] },
      space: { x: { type: 'float', low: 0, high: 1 } },
      tuner: { kind: 'tpe' },
    })
    addFinished(store, study.id, 'complete', 2, [1, 2])
    addFinished(store, study.id, 'failed', null)
    store.saveTunerState(study.id, Uint8Array.of(9))
    const [imported] = store.importTrials(study.id, [{ params: { x1: 1, x2: 1 }, value: 5 }])
    const worker = fakeWorker('tuner', fakeTuner())
    const session = createTunerSession(createWorkerClient(worker), store, study)
    await session.start()

    const [init] = ofType(worker.requests, 'init')
    expect(init).toMatchObject({ seed: 7, direction: 'maximize', tuner: { kind: 'tpe' } })
    expect(init.state).toEqual(Uint8Array.of(9))
    expect(init.finished.map((t) => [t.number, t.state, t.loss])).toEqual([
      [0, 'complete', -2],
      [1, 'failed', null],
    ])
    expect(init.finished[0].intermediate).toEqual([
      { step: 0, value: 1 },
      { step: 1, value: 2 },
    ])
    const tells = ofType(worker.requests, 'tell')
    expect(tells.map((r) => [r.trial.number, r.trial.loss])).toEqual([[imported.number, -5]])
    expect(store.listUntoldFinished(study.id)).toEqual([])
    expect(store.getTunerState(study.id)).toEqual(Uint8Array.of(0, 1))
  })

  it('asks with the pending trials and tells a trial with its curve from the store', async () => {
    const { store, study } = openTestStudy()
    const worker = fakeWorker('tuner', fakeTuner())
    const session = createTunerSession(createWorkerClient(worker), store, study)
    await session.start()
    const pending = [{ number: 4, params: { x1: 0 }, tunerData: null }]
    expect((await session.ask(pending)).proposal.params).toEqual({ x: 0 })
    expect(ofType(worker.requests, 'ask')[0].pending).toEqual(pending)

    const t = store.createTrial(study.id, { state: 'running', params: { x1: 1, x2: 2 } })
    store.addIntermediate(t.id, 3, 0.5)
    const told = await session.tell({ ...t, state: 'pruned', value: 0.5 }, pending)
    expect(told.state).toEqual(Uint8Array.of(1, 1))
    const [tell] = ofType(worker.requests, 'tell')
    expect(tell.trial).toMatchObject({ number: t.number, state: 'pruned', value: 0.5, loss: 0.5 })
    expect(tell.trial.intermediate).toEqual([{ step: 3, value: 0.5 }])
    expect(tell.pending).toEqual(pending)
  })

  it('reports the worker ending on its own, not when the session closes it', async () => {
    const { store, study } = openTestStudy()
    const crashed = fakeWorker('tuner', fakeTuner())
    const a = createTunerSession(createWorkerClient(crashed), store, study)
    let exits = 0
    a.onExit(() => exits++)
    crashed.crash()
    expect(exits).toBe(1)

    const closed = fakeWorker('tuner', fakeTuner())
    const b = createTunerSession(createWorkerClient(closed), store, study)
    b.onExit(() => exits++)
    b.close()
    await new Promise((r) => setImmediate(r))
    expect(closed.killedWith).toBe('SIGKILL')
    expect(exits).toBe(1)
  })

  it('rejects start when the tuner refuses init', async () => {
    const { store, study } = openTestStudy()
    const worker = fakeWorker('tuner', () => {
      throw Object.assign(new Error('unknown tuner option'), { code: 'TUNER_ERROR' })
    })
    const session = createTunerSession(createWorkerClient(worker), store, study)
    await expect(session.start()).rejects.toThrow('unknown tuner option')
  })
})
