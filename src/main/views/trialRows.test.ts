import { rmSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../../../test/helpers/cli.ts'
import { createTestStudy } from '../../../test/helpers/testStudy.ts'
import { openStudyStore } from '../store/openStudyStore.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { toTrialRows } from './trialRows.ts'

let dir: string
let store: StudyStore
let studyId: number
const N = 500
const STEPS = 40

beforeAll(() => {
  dir = tempDir('hpo-views-')
  store = openStudyStore(path.join(dir, 's.sqlite'))
  studyId = createTestStudy(
    store,
    {
      name: 'big',
      direction: 'maximize',
      objective: { kind: 'command', run: ['true'] },
      space: { x1: { type: 'float', low: 0, high: 1 }, x2: { type: 'int', low: 1, high: 2 } },
    },
    1,
  )
  for (let i = 0; i < N; i++) {
    const t = store.createTrial(studyId, { state: 'running', params: { x1: i / N, x2: 1 } })
    if (i === N - 1) {
      store.addIntermediate(t.id, 0, 0.5)
      store.addIntermediate(t.id, 1, 0.6)
      continue
    }
    for (let s = 0; s < STEPS; s++) store.addIntermediate(t.id, s, (i % 97) / 97 + s / 1000)
    store.finishTrial(t.id, { state: i % 10 === 0 ? 'pruned' : 'complete', value: (i % 97) / 97 })
  }
})

afterAll(() => {
  store.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('trial views', () => {
  it('rows: a running trial carries its latest intermediate value', () => {
    const page = store.queryTrials(studyId, { sort: { by: 'number', desc: true }, limit: 2 })
    const rows = toTrialRows(store, studyId, page.trials)
    expect(rows[0]).toMatchObject({
      number: N - 1,
      state: 'running',
      latest: { step: 1, value: 0.6 },
    })
    expect(rows[1].latest).toBeNull()
    expect(rows[1].durationMs).toBeGreaterThanOrEqual(0)
  })
})
