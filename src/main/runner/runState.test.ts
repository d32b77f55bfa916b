import { describe, expect, it } from 'vitest'
import {
  cancelsTrials,
  endOf,
  leaseLost,
  mayLaunch,
  nextRunState,
  type RunEvent,
  type RunState,
} from './runState.ts'

const running: RunState = { kind: 'running' }
const run = (events: RunEvent[], from: RunState = { kind: 'starting' }) =>
  events.reduce(nextRunState, from)

describe('run state', () => {
  it('launches only while running, cancels trials only when stopping or failing', () => {
    expect(mayLaunch({ kind: 'starting' })).toBe(false)
    expect(mayLaunch(running)).toBe(true)
    expect(mayLaunch({ kind: 'pausing', by: 'local' })).toBe(false)
    expect(cancelsTrials({ kind: 'pausing', by: 'local' })).toBe(false)
    expect(cancelsTrials({ kind: 'stopping', by: 'remote' })).toBe(true)
    expect(cancelsTrials({ kind: 'failing', error: 'x', leaseLost: false })).toBe(true)
  })

  it('pauses and resumes; a stop wins over a pause and cannot be resumed', () => {
    expect(run([{ type: 'started' }, { type: 'pause', by: 'remote' }])).toEqual({
      kind: 'pausing',
      by: 'remote',
    })
    expect(run([{ type: 'started' }, { type: 'pause', by: 'local' }, { type: 'resume' }])).toEqual(
      running,
    )
    const stopped = run([
      { type: 'started' },
      { type: 'pause', by: 'local' },
      { type: 'stop', by: 'remote' },
    ])
    expect(stopped).toEqual({ kind: 'stopping', by: 'remote' })
    expect(nextRunState(stopped, { type: 'resume' })).toBe(stopped)
    expect(nextRunState(stopped, { type: 'pause', by: 'local' })).toBe(stopped)
  })

  it('keeps the first error, remembers a lost lease, and ignores pause, resume and stop once failing', () => {
    const failing = run([{ type: 'started' }, { type: 'fail', error: 'first' }])
    expect(failing).toEqual({ kind: 'failing', error: 'first', leaseLost: false })
    for (const e of [
      { type: 'fail', error: 'second' },
      { type: 'pause', by: 'local' },
      { type: 'resume' },
      { type: 'stop', by: 'local' },
      { type: 'started' },
    ] as RunEvent[])
      expect(nextRunState(failing, e)).toBe(failing)
    const lost = nextRunState(failing, { type: 'fail', error: 'lease', leaseLost: true })
    expect(lost).toEqual({ kind: 'failing', error: 'first', leaseLost: true })
    expect(leaseLost(lost)).toBe(true)
    expect(leaseLost(failing)).toBe(false)
  })

  it('fails while stopping or pausing (the failure is what the run reports)', () => {
    expect(
      run(
        [
          { type: 'stop', by: 'local' },
          { type: 'fail', error: 'e' },
        ],
        running,
      ).kind,
    ).toBe('failing')
  })

  it('starts only from starting', () => {
    expect(run([{ type: 'started' }])).toEqual(running)
    const paused: RunState = { kind: 'pausing', by: 'local' }
    expect(nextRunState(paused, { type: 'started' })).toBe(paused)
  })

  it('ends as it stood: failed, stopped, paused, else finished when a trial completed or was pruned', () => {
    const ok = [{ state: 'complete' as const, error: null }]
    expect(endOf({ kind: 'failing', error: 'e', leaseLost: true }, ok)).toEqual({
      kind: 'ended',
      outcome: { state: 'failed', requestedBy: null, error: 'e' },
      leaseLost: true,
    })
    expect(endOf({ kind: 'stopping', by: 'remote' }, ok).outcome).toEqual({
      state: 'stopped',
      requestedBy: 'remote',
      error: null,
    })
    expect(endOf({ kind: 'pausing', by: 'local' }, []).outcome.state).toBe('paused')
    expect(endOf(running, ok).outcome.state).toBe('finished')
    expect(endOf(running, [{ state: 'pruned', error: null }]).outcome.state).toBe('finished')
    const ended = endOf(running, [
      { state: 'failed', error: 'exit 1' },
      { state: 'failed', error: 'exit 2' },
    ])
    expect(ended.outcome).toEqual({
      state: 'failed',
      requestedBy: null,
      error: 'no trial completed (2 failed; first error: exit 1)',
    })
    expect(nextRunState(ended, { type: 'stop', by: 'local' })).toBe(ended)
    expect(endOf(ended, ok)).toBe(ended)
  })
})
