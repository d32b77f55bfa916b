import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ControlRequest } from '../store/studyStore.ts'
import type { StudyEvent } from '../../shared/studyEvent.ts'
import { createRunBudget } from './runBudget.ts'
import { createRunControl, LeaseHeldError, takeLease } from './runControl.ts'
import type { RunState } from './runState.ts'

const holder = { pid: 1, host: 'h' }

function setup() {
  const calls: string[] = []
  const requests: ControlRequest['action'][] = []
  let heartbeatError: Error | null = null
  const store = {
    heartbeat: () => {
      calls.push('heartbeat')
      if (heartbeatError) throw heartbeatError
    },
    takeControlRequests: (studyId: number) =>
      requests.splice(0).map((action, id) => ({
        id,
        studyId,
        action,
        requestedAt: '',
        requestedBy: 'pid 2',
      })),
    setStudyState: (_id: number, state: string, error?: string | null) =>
      calls.push(`state ${state}${error ? `: ${error}` : ''}`),
    releaseLease: () => calls.push('release'),
  }
  const recorded: number[] = []
  const budget = createRunBudget({
    trials: 10,
    ms: Infinity,
    finished: 0,
    runningMs: 0,
    record: (ms) => recorded.push(ms),
  })
  const changes: RunState[] = []
  const events: StudyEvent[] = []
  const control = createRunControl({
    store,
    studyId: 3,
    holder,
    heartbeatMs: 100,
    budget,
    onChange: (s) => changes.push(s),
    emit: (e) => events.push(e),
  })
  return {
    control,
    calls,
    requests,
    changes,
    events,
    recorded,
    failHeartbeat: (e: Error) => (heartbeatError = e),
  }
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('run control', () => {
  it('renews the lease from the start but reads requests and runs the clock only once started', () => {
    const c = setup()
    c.requests.push('pause')
    vi.advanceTimersByTime(250)
    expect(c.calls).toEqual(['heartbeat', 'heartbeat'])
    expect(c.changes).toEqual([])
    expect(c.control.state.kind).toBe('starting')

    c.control.start()
    expect(c.calls.at(-1)).toBe('state running')
    expect(c.events.at(-1)).toEqual({
      type: 'study-state',
      studyId: 3,
      state: 'running',
      error: null,
    })
    vi.advanceTimersByTime(100)
    expect(c.control.state).toEqual({ kind: 'pausing', by: 'remote' })
    expect(c.recorded).toHaveLength(1)
    // each beat reports the state, so the loop fills free slots
    vi.advanceTimersByTime(100)
    expect(c.changes.at(-1)).toEqual({ kind: 'pausing', by: 'remote' })
  })

  it('applies stop and resume requests from other processes', () => {
    const c = setup()
    c.control.start()
    c.control.send({ type: 'pause', by: 'local' })
    c.requests.push('resume')
    vi.advanceTimersByTime(100)
    expect(c.control.state).toEqual({ kind: 'running' })
    c.requests.push('stop')
    vi.advanceTimersByTime(100)
    expect(c.control.state).toEqual({ kind: 'stopping', by: 'remote' })
  })

  it('tells only real changes', () => {
    const c = setup()
    c.control.start()
    c.control.send({ type: 'resume' })
    expect(c.changes).toEqual([])
    c.control.send({ type: 'stop', by: 'local' })
    expect(c.changes).toEqual([{ kind: 'stopping', by: 'local' }])
  })

  it('fails with a lost lease when another process took it over, and then writes nothing', () => {
    const c = setup()
    c.control.start()
    c.failHeartbeat(
      Object.assign(new Error('the lease of study 3 is held by pid 9'), { code: 'BAD_STATE' }),
    )
    vi.advanceTimersByTime(100)
    expect(c.control.state).toEqual({
      kind: 'failing',
      error: 'the lease of study 3 is held by pid 9',
      leaseLost: true,
    })
    const ended = c.control.end([])
    expect(ended.outcome.state).toBe('failed')
    const before = c.calls.length
    c.control.close()
    expect(c.calls.length).toBe(before)
  })

  it('warns on other heartbeat errors and goes on', () => {
    const c = setup()
    c.control.start()
    c.failHeartbeat(new Error('database is locked'))
    vi.advanceTimersByTime(100)
    expect(c.control.state.kind).toBe('running')
    expect(c.events.at(-1)).toEqual({
      type: 'warning',
      studyId: 3,
      message: 'heartbeat failed: database is locked',
    })
  })

  it('ends once: the heartbeat stops, the clock ticks, close writes the outcome and releases the lease', () => {
    const c = setup()
    c.control.start()
    c.control.send({ type: 'stop', by: 'local' })
    const ended = c.control.end([])
    expect(ended.outcome).toEqual({ state: 'stopped', requestedBy: 'local', error: null })
    expect(c.recorded).toHaveLength(1)
    expect(c.control.end([])).toBe(ended)
    const beats = c.calls.filter((x) => x === 'heartbeat').length
    vi.advanceTimersByTime(1000)
    expect(c.calls.filter((x) => x === 'heartbeat').length).toBe(beats)
    c.control.close()
    expect(c.calls.slice(-2)).toEqual(['state stopped', 'release'])
  })

  it('does not mark a run running once it failed while starting', () => {
    const c = setup()
    c.control.send({ type: 'fail', error: 'the tuner could not start: x' })
    c.control.start()
    expect(c.calls).not.toContain('state running')
    c.control.end([])
    c.control.close()
    expect(c.calls.slice(-2)).toEqual(['state failed: the tuner could not start: x', 'release'])
  })
})

describe('takeLease', () => {
  it('throws LeaseHeldError naming the live holder', () => {
    const at = '2024-01-01T00:00:00.000Z'
    const held = { studyId: 3, pid: 42, host: 'box', heartbeatAt: at, acquiredAt: at }
    const store = { acquireLease: () => ({ ok: false as const, holder: held }) }
    expect(() => takeLease(store, { id: 3, name: 'st' }, holder)).toThrow(LeaseHeldError)
    expect(() => takeLease(store, { id: 3, name: 'st' }, holder)).toThrow(
      'study "st" is being run by process 42 on box',
    )
  })
})
