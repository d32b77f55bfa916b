import { afterEach, describe, expect, it } from 'vitest'
import type { StudyEvent } from '../../shared/studyEvent.ts'
import type { TrialRecord } from '../../shared/trial.ts'
import { addFinished, closeTestStores, openTestStudy } from '../../../test/helpers/testStudy.ts'
import { createTrialResults } from './trialResults.ts'
import type { TunerSession } from './tunerSession.ts'

afterEach(closeTestStores)

function setup(warning: string | null = null) {
  const { store, study } = openTestStudy()
  addFinished(store, study.id, 'complete', 5)
  const told: { trial: TrialRecord; pending: number[] }[] = []
  const tuner: Pick<TunerSession, 'tell'> = {
    async tell(trial, pending) {
      told.push({ trial, pending: pending.map((p) => p.number) })
      return { state: Uint8Array.of(told.length), agentSnapshot: null, warning }
    },
  }
  const events: StudyEvent[] = []
  let finished = 0
  const results = createTrialResults({
    store,
    study,
    tuner,
    pending: (except) =>
      [7, 8].filter((n) => n !== except).map((number) => ({ number, params: {}, tunerData: null })),
    onFinished: () => finished++,
    emit: (e) => events.push(e),
  })
  const running = () => {
    const t = store.createTrial(study.id, { state: 'running', params: { x1: 1, x2: 2 } })
    return store.getTrial(study.id, t.number)!
  }
  return { store, study, results, told, events, running, finished: () => finished }
}

const finishedEvents = (events: StudyEvent[]) =>
  events
    .filter((e) => e.type === 'trial-finished')
    .map((e) => [e.trialNumber, e.state, e.value, e.isBest])

describe('trial results', () => {
  it("tells the tuner, then writes the result with the tuner's state, and says when it is the new best", async () => {
    const { store, study, results, told, events, running, finished } = setup()
    const a = running()
    await results.record(a, {
      state: 'complete',
      value: 7,
      userAttrs: { f1: 0.5 },
      backend: 'cpu',
    })
    const b = running()
    await results.record(b, { state: 'complete', value: 2, userAttrs: {}, backend: null })
    expect(told.map((t) => [t.trial.number, t.trial.state, t.trial.value])).toEqual([
      [a.number, 'complete', 7],
      [b.number, 'complete', 2],
    ])
    expect(told[0].pending).toEqual([7, 8])
    expect(store.getTrial(study.id, a.number)).toMatchObject({
      state: 'complete',
      value: 7,
      userAttrs: { f1: 0.5 },
      backend: 'cpu',
    })
    expect(store.getTunerState(study.id)).toEqual(Uint8Array.of(2))
    expect(store.listUntoldFinished(study.id)).toEqual([])
    expect(finishedEvents(events)).toEqual([
      [a.number, 'complete', 7, false],
      [b.number, 'complete', 2, true],
    ])
    expect(finished()).toBe(2)
  })

  it('records pruned and failed trials, never as best', async () => {
    const { store, study, results, events, running } = setup()
    const p = running()
    await results.record(p, { state: 'pruned', value: 0.1, step: 3 })
    const f = running()
    await results.record(f, { state: 'failed', error: 'exit code 1' })
    expect(store.getTrial(study.id, p.number)).toMatchObject({
      state: 'pruned',
      value: 0.1,
      error: expect.stringMatching(/^pruned at step 3 \(value 0\.1\): /),
    })
    expect(store.getTrial(study.id, f.number)).toMatchObject({
      state: 'failed',
      error: 'exit code 1',
    })
    expect(finishedEvents(events)).toEqual([
      [p.number, 'pruned', 0.1, false],
      [f.number, 'failed', null, false],
    ])
  })

  it('leaves an interrupted trial to re-run, without telling the tuner or counting it', async () => {
    const { store, study, results, told, events, running, finished } = setup()
    const t = running()
    await results.record(t, { state: 'interrupted', reason: 'the study was stopped' })
    expect(store.getTrial(study.id, t.number)).toMatchObject({
      state: 'interrupted',
      error: 'the study was stopped',
    })
    expect(told).toEqual([])
    expect(finished()).toBe(0)
    expect(events).toEqual([
      {
        type: 'trial-finished',
        studyId: study.id,
        trialNumber: t.number,
        state: 'interrupted',
        value: null,
        error: 'the study was stopped',
        isBest: false,
      },
    ])
  })

  it("keeps the worker's backend label as it is and files the tuner warning in the trial log", async () => {
    const { store, study, results, events, running } = setup('the surrogate did not converge')
    const t = running()
    // the worker says what ran (a GPU only when TensorFlow ran on it); main adds nothing to it
    await results.record(t, { state: 'complete', value: 1, userAttrs: {}, backend: 'tfjs wasm' })
    expect(store.getTrial(study.id, t.number)?.backend).toBe('tfjs wasm')
    expect(store.getTrialLog(t.id).stderr).toBe('[tuner] the surrogate did not converge\n')
    expect(events).toContainEqual({
      type: 'warning',
      studyId: study.id,
      message: 'the surrogate did not converge',
    })
  })
})
