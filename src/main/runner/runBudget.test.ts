import { describe, expect, it } from 'vitest'
import { createRunBudget } from './runBudget.ts'

function clock() {
  let t = 1000
  return { now: () => t, advance: (ms: number) => (t += ms) }
}

describe('run budget', () => {
  it('counts finished trials and running ones against the trial budget', () => {
    const b = createRunBudget({
      trials: 3,
      ms: Infinity,
      finished: 1,
      runningMs: 0,
      record: () => {},
    })
    expect(b.allows(1)).toBe(true)
    expect(b.allows(2)).toBe(false)
    b.trialFinished()
    expect(b.allows(0)).toBe(true)
    expect(b.allows(1)).toBe(false)
  })

  it('counts running time from start(), summed with earlier runs, and records each tick', () => {
    const c = clock()
    const recorded: number[] = []
    const b = createRunBudget({
      trials: 100,
      ms: 10_000,
      finished: 0,
      runningMs: 6000,
      record: (ms) => recorded.push(ms),
      now: c.now,
    })
    c.advance(60_000) // worker start-up: not counted
    b.start()
    c.advance(3000)
    b.tick()
    expect(recorded).toEqual([3000])
    expect(b.allows(0)).toBe(true)
    c.advance(999)
    expect(b.allows(0)).toBe(true)
    c.advance(1)
    expect(b.allows(0)).toBe(false)
    b.tick()
    expect(recorded).toEqual([3000, 1000])
  })

  it('takes the stored count and budget at each tick: imports count at once, a raised budget applies', () => {
    const stored = { finished: 2, trials: 4 }
    const b = createRunBudget({
      trials: 4,
      ms: Infinity,
      finished: 2,
      runningMs: 0,
      record: () => {},
      recount: () => stored,
    })
    expect(b.allows(1)).toBe(true)
    stored.finished = 4 // two trials imported while it runs
    b.tick()
    expect(b.allows(0)).toBe(false)
    stored.trials = 6
    b.tick()
    expect(b.allows(1)).toBe(true)
    expect(b.allows(2)).toBe(false)
  })
})
