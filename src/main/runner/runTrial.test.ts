import { describe, expect, it } from 'vitest'
import { braninSpec } from '../../../test/conformance/storeTestHelpers.ts'
import type { WorkerEvent, WorkerResultMap, TrialRunSpec } from '../../shared/workerProtocol.ts'
import { openStudyStore } from '../store/openStudyStore.ts'
import type { StudyStore } from '../store/studyStore.ts'
import type { WorkerClient } from '../workers/workerClient.ts'
import { runTrial } from './runTrial.ts'

/** A trial worker that prints `lines` log lines, then answers the run with a value. */
function chattyWorker(trialNumber: number, lines: number): WorkerClient {
  const listeners = new Set<(e: WorkerEvent) => void>()
  return {
    pid: 1,
    exited: null,
    async request(body) {
      if (body.type !== 'run') return null as never
      for (let i = 0; i < lines; i++)
        for (const l of listeners)
          l({ kind: 'event', type: 'log', trialNumber, stream: 'stdout', line: `step ${i}` })
      const result: WorkerResultMap['run'] = { value: 1, userAttrs: {}, backend: null }
      return result as never
    },
    onEvent(l) {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    onStderr: () => () => {},
    onExit: () => {},
    kill: () => {},
  }
}

describe('runTrial', () => {
  it('writes a chatty trial’s log lines in a few batches, all before the outcome', async () => {
    const store = openStudyStore(':memory:')
    const { id } = store.createStudy(braninSpec())
    const trial = store.createTrial(id, { state: 'running', params: {} })
    const writes = { appendTrialLog: 0, appendTrialLogs: 0 }
    const counting = new Proxy(store, {
      get(target, key: keyof StudyStore) {
        if (key === 'appendTrialLog' || key === 'appendTrialLogs') writes[key]++
        return target[key]
      },
    })
    const run = runTrial({
      store: counting,
      worker: chattyWorker(trial.number, 100_000),
      trial,
      spec: { trialNumber: trial.number, timeoutSeconds: null } as TrialRunSpec,
      shouldPrune: async () => false,
      emit: () => {},
    })
    expect(await run.outcome).toMatchObject({ state: 'complete', value: 1 })
    expect(writes.appendTrialLog).toBe(0)
    expect(writes.appendTrialLogs).toBeLessThan(20)
    const log = store.getTrialLog(trial.id)
    expect(log.stdout.startsWith('step 0\nstep 1\n')).toBe(true)
    expect(log.stdout.endsWith('step 99999\n')).toBe(true)
    store.close()
  })
})
