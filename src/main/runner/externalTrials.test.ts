import { describe, expect, it } from 'vitest'
import { parseStudySpec } from '../../shared/studySpec.ts'
import { openStudyStore } from '../store/openStudyStore.ts'
import {
  createExternalTrials,
  ExternalTrialError,
  type ExternalRunHooks,
} from './externalTrials.ts'
import type { TrialOutcome } from './runTrial.ts'

/** A store with an external study, and hooks that do what the run does with slots and outcomes. */
function setup(concurrency = 1, budget = 10) {
  const store = openStudyStore(':memory:')
  const parsed = parseStudySpec({
    name: 'ext',
    direction: 'minimize',
    objective: { kind: 'external', heartbeatSeconds: 1 },
    space: { x: { type: 'float', low: 0, high: 1 } },
    concurrency,
  })
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
  const study = store.createStudy({ ...parsed.value, seed: 0 })
  let running = 0
  const outcomes: [number, TrialOutcome][] = []
  let proposals = 0
  const hooks: ExternalRunHooks = {
    refusal: () =>
      outcomes.length + running >= budget ? { code: 'BUDGET_SPENT', message: 'spent' } : null,
    hasRoom: () => running < concurrency,
    async next() {
      const waiting = store.listTrials(study.id, ['interrupted'])[0]
      return (
        waiting ?? store.createTrial(study.id, { state: 'queued', params: { x: ++proposals / 10 } })
      )
    },
    launch(trial, run) {
      store.startTrial(trial.id)
      running++
      return run.outcome.then((o) => {
        outcomes.push([trial.number, o])
        if (o.state === 'interrupted') store.interruptTrial(trial.id, o.reason)
        else
          store.finishTrial(trial.id, {
            state: o.state,
            value: o.state === 'failed' ? null : o.value,
            error: o.state === 'failed' ? o.error : null,
          })
        running--
      })
    },
    report(trial, step, value) {
      store.addIntermediate(trial.id, step, value)
      return value > 5
    },
  }
  const ext = createExternalTrials({
    store,
    studyId: study.id,
    heartbeatSeconds: 1,
    timeoutSeconds: null,
    hooks,
  })
  return { store, study, ext, outcomes }
}

const code = async (p: Promise<unknown> | (() => unknown)): Promise<string> => {
  try {
    await (typeof p === 'function' ? p() : p)
  } catch (e) {
    expect(e).toBeInstanceOf(ExternalTrialError)
    return (e as ExternalTrialError).code
  }
  throw new Error('did not throw')
}

describe('external trials', () => {
  it('gives a trial to the client that asks, takes its reports, and records what it tells', async () => {
    const { store, study, ext } = setup()
    const g = await ext.ask()
    expect(g).toMatchObject({ number: 0, params: { x: 0.1 }, heartbeatSeconds: 1 })
    expect(await ext.report(0, g.ticket, 1, 2)).toEqual({ prune: false })
    expect(await ext.report(0, g.ticket, 2, 9)).toEqual({ prune: true })
    expect(ext.heartbeat(0, g.ticket)).toEqual({ prune: true })
    ext.attr(0, g.ticket, 'note', { a: 1 })
    expect(await ext.tell(0, g.ticket, { state: 'complete', value: 0.5 })).toEqual({
      state: 'complete',
      value: 0.5,
    })
    const t = store.getTrial(study.id, 0)!
    expect(t.userAttrs).toEqual({ note: { a: 1 } })
    expect(store.getIntermediateValues(study.id).get(t.id)).toEqual([
      { step: 1, value: 2 },
      { step: 2, value: 9 },
    ])
  })

  it('refuses a forged ticket, a second tell, a busy study and a spent budget, each by name', async () => {
    const { ext } = setup(1, 2)
    const g = await ext.ask()
    expect(await code(ext.report(0, 'forged', 0, 1))).toBe('TRIAL_NOT_OWNED')
    expect(await code(ext.report(7, g.ticket, 0, 1))).toBe('TRIAL_NOT_FOUND')
    expect(await code(ext.ask())).toBe('BUSY')
    await ext.tell(0, g.ticket, { state: 'failed', error: 'oom' })
    expect(await code(ext.tell(0, g.ticket, { state: 'complete', value: 1 }))).toBe('ALREADY_TOLD')
    const g2 = await ext.ask()
    await ext.tell(g2.number, g2.ticket, { state: 'pruned' })
    expect(await code(ext.ask())).toBe('BUDGET_SPENT')
  })

  it('interrupts the trial of a client that went quiet and gives it to the next client', async () => {
    const { ext, outcomes } = setup()
    const gone = await ext.ask()
    ext.expire(Date.now() + 500)
    expect(outcomes).toEqual([])
    ext.expire(Date.now() + 1500)
    await new Promise((r) => setTimeout(r, 0))
    expect(outcomes).toEqual([
      [0, { state: 'interrupted', reason: 'its client sent no report or heartbeat for 1 s' }],
    ])
    const again = await ext.ask()
    expect(again).toMatchObject({ number: 0, params: gone.params })
    expect(again.ticket).not.toBe(gone.ticket)
    expect(await code(ext.tell(0, gone.ticket, { state: 'complete', value: 1 }))).toBe(
      'TRIAL_EXPIRED',
    )
    await ext.tell(0, again.ticket, { state: 'complete', value: 1 })
  })

  it('answers two asks at once with two trials, one per slot', async () => {
    const { ext } = setup(2)
    const [a, b] = await Promise.all([ext.ask(), ext.ask()])
    expect([a.number, b.number]).toEqual([0, 1])
    expect(await code(ext.ask())).toBe('BUSY')
  })
})
