// The trial table filters in SQL, the plots in JS (shared/trialFilter.ts): both must pick the same trials.
import fc from 'fast-check'
import { rmSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../../../test/helpers/cli.ts'
import { createTestStudy } from '../../../test/helpers/testStudy.ts'
import { matchesTrialFilter, type TrialFilter } from '../../shared/trialFilter.ts'
import type { TrialRecord } from '../../shared/trial.ts'
import { openStudyStore } from './openStudyStore.ts'
import type { StudyStore } from './studyStore.ts'

let dir: string
let store: StudyStore
let studyId: number
let trials: TrialRecord[]

beforeAll(() => {
  dir = tempDir('hpo-trial-query-')
  store = openStudyStore(path.join(dir, 's.sqlite'))
  studyId = createTestStudy(
    store,
    {
      name: 'filters',
      direction: 'minimize',
      objective: { kind: 'command', run: ['true'] },
      space: {
        kind: { type: 'categorical', choices: ['a', 'b', 3] },
        flag: { type: 'bool' },
        x: { type: 'float', low: 0, high: 10 },
        n: { type: 'int', low: 1, high: 5, when: { kind: ['a'] } },
      },
    },
    1,
  )
  const kinds = ['a', 'b', 3] as const
  for (let i = 0; i < 60; i++) {
    const kind = kinds[i % 3]
    const params: TrialRecord['params'] = { kind, flag: i % 4 === 0, x: (i * 7) % 11 }
    if (kind === 'a') params.n = 1 + (i % 5)
    const t = store.createTrial(studyId, { state: 'running', params })
    if (i % 10 === 9) continue
    if (i % 7 === 3) store.finishTrial(t.id, { state: 'failed', value: null, error: 'x' })
    else
      store.finishTrial(t.id, { state: i % 5 === 1 ? 'pruned' : 'complete', value: (i % 13) / 2 })
  }
  trials = store.listTrials(studyId)
})

afterAll(() => {
  store.close()
  rmSync(dir, { recursive: true, force: true })
})

const bound = fc.option(fc.integer({ min: -1, max: 11 }), { nil: undefined })
const filter: fc.Arbitrary<TrialFilter> = fc.record(
  {
    states: fc.subarray(['running', 'complete', 'pruned', 'failed'] as const),
    valueMin: bound,
    valueMax: bound,
    paramRanges: fc.dictionary(
      fc.constantFrom('x', 'n', 'kind', 'flag'),
      fc.record({ min: bound, max: bound }, { requiredKeys: [] }),
      { maxKeys: 2 },
    ),
    paramChoices: fc.dictionary(
      fc.constantFrom('kind', 'flag', 'n'),
      fc.subarray(['a', 'b', 3, true, false, 2] as (string | number | boolean)[], { minLength: 1 }),
      { maxKeys: 2 },
    ),
  },
  { requiredKeys: [] },
)

describe('trial filters', () => {
  it('pick the same trials in SQL (the table) and in JS (the plots)', () => {
    fc.assert(
      fc.property(filter, (f) => {
        const sql = store.queryTrials(studyId, f).trials.map((t) => t.number)
        const js = trials.filter((t) => matchesTrialFilter(t, f)).map((t) => t.number)
        expect(sql).toEqual(js)
      }),
      { numRuns: 300 },
    )
  })
})
