import { describe, expect, it } from 'vitest'
import { fakeWorker, type FakeWorker } from '../../../test/helpers/fakeWorkers.ts'
import { createWorkerClient } from '../workers/workerClient.ts'
import type { ActiveTrial } from './runTrial.ts'
import type { TrialExecutor } from './trialExecutor.ts'
import { createTrialSlots } from './trialSlots.ts'

function setup(count: number, workerPerTrial = false) {
  const started: FakeWorker[] = []
  const released: number[] = []
  const forTrials: number[] = []
  const executor: TrialExecutor = {
    start(slot, trialNumber) {
      const w = fakeWorker('trial', () => null)
      started.push(w)
      forTrials.push(trialNumber)
      return { client: createWorkerClient(w), gpu: slot }
    },
    release: (slot) => void released.push(slot),
    workerPerTrial,
    close: async () => [],
  }
  return { slots: createTrialSlots(count, executor), started, released, forTrials }
}

const active = (number: number, workerKilled = false): ActiveTrial => ({
  trial: { number } as ActiveTrial['trial'],
  cancel: () => {},
  workerKilled,
  outcome: new Promise(() => {}),
})

describe('trial slots', () => {
  it('hands out free slots until all run a trial', () => {
    const { slots } = setup(2)
    expect(slots.free()).toBe(0)
    slots.occupy(0, 0, () => active(0))
    expect(slots.free()).toBe(1)
    slots.occupy(1, 1, () => active(1))
    expect(slots.free()).toBe(-1)
    expect(slots.running().map((s) => s.run.trial.number)).toEqual([0, 1])
    expect(() => slots.occupy(1, 2, () => active(2))).toThrow('slot 1 already runs trial 1')
    slots.vacate(0)
    expect(slots.free()).toBe(0)
    expect(slots.running().map((s) => s.slot)).toEqual([1])
  })

  it("reuses a slot's worker from trial to trial while it lives", () => {
    const { slots, started, released } = setup(1)
    const first = slots.occupy(0, 0, () => active(0))
    slots.vacate(0)
    const second = slots.occupy(0, 1, () => active(1))
    expect(second.worker).toBe(first.worker)
    expect(started).toHaveLength(1)
    expect(released).toEqual([])
  })

  it('drops a worker killed by a cancel or crashed, so the next trial gets a fresh one', async () => {
    const { slots, started, released } = setup(1)
    slots.occupy(0, 0, () => active(0, true))
    slots.vacate(0)
    expect(started[0].killedWith).toBe('SIGKILL')
    expect(released).toEqual([0])
    slots.occupy(0, 1, () => active(1))
    expect(started).toHaveLength(2)

    started[1].crash()
    slots.vacate(0)
    expect(released).toEqual([0, 0])
    slots.occupy(0, 2, () => active(2))
    expect(started).toHaveLength(3)
  })

  it('starts a fresh worker when the kept one died between trials', () => {
    const { slots, started } = setup(1)
    slots.occupy(0, 0, () => active(0))
    slots.vacate(0)
    started[0].crash()
    slots.occupy(0, 1, () => active(1))
    expect(started).toHaveLength(2)
  })

  it('lets a worker go after its trial when the executor runs one trial per worker (a Slurm job)', () => {
    const { slots, started, released, forTrials } = setup(1, true)
    slots.occupy(0, 4, () => active(4))
    slots.vacate(0)
    expect(started[0].killedWith).toBe('SIGTERM')
    expect(released).toEqual([0])
    slots.occupy(0, 5, () => active(5))
    expect(forTrials).toEqual([4, 5])
  })

  it('kills every worker on close', async () => {
    const { slots, started } = setup(2)
    slots.occupy(0, 0, () => active(0))
    slots.occupy(1, 1, () => active(1))
    slots.close()
    expect(started.map((w) => w.killedWith)).toEqual(['SIGKILL', 'SIGKILL'])
  })
})
