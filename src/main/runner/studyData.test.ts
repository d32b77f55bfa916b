import { describe, expect, it } from 'vitest'
import { braninSpec } from '../../../test/conformance/storeTestHelpers.ts'
import { openStudyStore } from '../store/openStudyStore.ts'
import type { WorkerExit, WorkerHandle, WorkerHost } from '../workers/workerHost.ts'
import { checkStudyData, StudyDataError } from './studyData.ts'

/** A worker that never answers (a data check reading a huge file) until it is killed. */
function stuckHost(killed: string[]): WorkerHost {
  return {
    spawn(): WorkerHandle {
      const exits: ((e: WorkerExit) => void)[] = []
      return {
        pid: 1,
        send: () => {},
        onMessage: () => {},
        onStderr: () => () => {},
        onExit: (l) => void exits.push(l),
        kill(signal = 'SIGTERM') {
          killed.push(signal)
          for (const l of exits) l({ code: null, signal, reason: null })
        },
      }
    },
  }
}

describe('checkStudyData', () => {
  it('ends the data check at once when start-up is aborted (Ctrl-C)', async () => {
    const store = openStudyStore(':memory:')
    const spec = braninSpec('g', {
      objective: { kind: 'gbdt', dataset: '/data/huge.csv' },
      space: { max_depth: { type: 'int', low: 1, high: 5 } },
      direction: 'maximize',
    })
    const study = store.createStudy(spec)
    const killed: string[] = []
    const controller = new AbortController()
    const check = checkStudyData(store, study, stuckHost(killed), controller.signal)
    setTimeout(() => controller.abort(), 20)
    await expect(check).rejects.toBeInstanceOf(StudyDataError)
    expect(killed).toContain('SIGKILL')
    store.close()
  })
})
