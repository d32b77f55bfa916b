import { afterEach, describe, expect, it } from 'vitest'
import type { PendingTrial, TrialRecord } from '../../shared/trial.ts'
import { closeTestStores, openTestStudy } from '../../../test/helpers/testStudy.ts'
import { createTrialSource } from './trialSource.ts'

afterEach(closeTestStores)

function setup() {
  const { store, study } = openTestStudy()
  const asked: PendingTrial[][] = []
  const running: TrialRecord[] = []
  let launchable = true
  const source = createTrialSource({
    store,
    studyId: study.id,
    tuner: {
      ask: async (pending) => {
        asked.push([...pending])
        return {
          proposal: { params: { x1: asked.length, x2: 0 }, tunerData: { k: asked.length } },
          state: Uint8Array.of(asked.length),
        }
      },
    },
    running: () => running,
    mayLaunch: () => launchable,
  })
  return { store, study, source, asked, running, stopLaunching: () => (launchable = false) }
}

describe('trial source', () => {
  it('re-runs interrupted trials first, then queued ones, then asks the tuner', async () => {
    const { store, study, source, asked, running } = setup()
    const queued = store.createTrial(study.id, { state: 'queued', params: { x1: 1, x2: 1 } })
    const interrupted = store.createTrial(study.id, { state: 'running', params: { x1: 2, x2: 2 } })
    store.interruptTrial(interrupted.id, 'stopped')

    const launch = (t: TrialRecord | null) => {
      store.startTrial(t!.id)
      running.push(store.getTrial(study.id, t!.number)!)
    }
    const first = await source.next()
    expect(first?.id).toBe(interrupted.id)
    launch(first)
    const second = await source.next()
    expect(second?.id).toBe(queued.id)
    launch(second)
    expect(asked).toEqual([])

    const proposed = await source.next()
    expect(proposed).toMatchObject({
      state: 'queued',
      params: { x1: 1, x2: 0 },
      tunerData: { k: 1 },
    })
    expect(store.getTunerState(study.id)).toEqual(Uint8Array.of(1))
    expect(asked[0].map((p) => p.number)).toEqual([interrupted.number, queued.number])
  })

  it('keeps a proposal that arrives after the run stopped launching queued, for next time', async () => {
    const { store, study, source, stopLaunching } = setup()
    stopLaunching()
    expect(await source.next()).toBeNull()
    expect(store.listTrials(study.id, ['queued'])).toHaveLength(1)
  })

  it('lists running, queued and interrupted trials as pending, but the one being told', () => {
    const { store, study, source, running } = setup()
    const a = store.createTrial(study.id, { state: 'queued', params: { x1: 1, x2: 1 } })
    const b = store.createTrial(study.id, { state: 'running', params: { x1: 2, x2: 2 } })
    running.push(b)
    store.createTrial(study.id, { state: 'running', params: { x1: 3, x2: 3 } }) // finished elsewhere: not pending
    expect(source.pending().map((p) => p.number)).toEqual([b.number, a.number])
    expect(source.pending(b.number)).toEqual([
      { number: a.number, params: a.params, tunerData: null },
    ])
  })
})
