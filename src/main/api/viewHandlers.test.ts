// The study view and comparison methods through the real handler table: arguments checked by their
// zod schemas, results parsed by theirs (checkResults), errors as data.
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFixtureStudies } from '../../../test/helpers/analysisFixtures.ts'
import type { StudioResponse } from '../../shared/studioApi.ts'
import { createTestService } from '../../../test/helpers/studioService.ts'
import { openStudyStore } from '../store/openStudyStore.ts'
import type { StudyStore } from '../store/studyStore.ts'
import type { StudioService } from './studioHandlers.ts'

let dir: string
let store: StudyStore
let service: StudioService
let f: ReturnType<typeof createFixtureStudies>

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hpo-analysis-handlers-'))
  store = openStudyStore(path.join(dir, 'studies.sqlite'))
  f = createFixtureStudies(store)
  service = createTestService(store, dir)
})
afterAll(() => {
  service?.close()
  store?.close()
  rmSync(dir, { recursive: true, force: true })
})

const ok = async (method: string, args: unknown[]): Promise<unknown> => {
  const r = await service.call(method, args)
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`)
  return r.value
}
const fail = async (method: string, args: unknown[]) => {
  const r = (await service.call(method, args)) as StudioResponse<unknown>
  expect(r.ok, `${method} should fail`).toBe(false)
  return (r as { error: { code: string; message: string } }).error
}

describe('analysis methods of the StudioApi', () => {
  it('answer every view of every fixture study with results their schemas accept', async () => {
    for (const s of Object.values(f)) {
      const id = s.id
      const [a, b] = s.spec.space.params.map((p) => p.name)
      await ok('getStudyLive', [id])
      await ok('getHistoryView', [id, { maxPoints: 100 }])
      await ok('getLearningCurves', [id, { top: 5 }])
      await ok('getLearningCurves', [id, { all: true, maxTrials: 10, maxPoints: 5 }])
      await ok('getParamPoints', [id])
      await ok('getSlice', [id, a])
      await ok('getContour', [id, a, b, { grid: 8 }])
      await ok('getAgentTimeline', [id])
      await ok('listTrialFiles', [id, 0])
      await ok('exportStudy', [id, { format: 'csv', top: 3 }])
      await ok('getSnippets', [id, 0])
      await ok('compareTrials', [id, [0, 1, 2]])
    }
    await ok('getStudiesOverlay', [[f.synthetic.id, f.command.id]])
    const imp = (await ok('getImportance', [f.gbdt.id, { seeds: [1, 2], nTrees: 8 }])) as {
      seeds: number[]
    }
    expect(imp.seeds).toEqual([1, 2])
  })

  it('refuses bad arguments with the rule and the value, before any work', async () => {
    const tooMany = await fail('compareTrials', [
      f.gbdt.id,
      Array.from({ length: 21 }, (_, i) => i),
    ])
    expect(tooMany.code).toBe('BAD_ARGS')
    const format = await fail('exportStudy', [f.gbdt.id, { format: 'xlsx' }])
    expect(format.code).toBe('BAD_ARGS')
    expect(format.message).toMatch(/^exportStudy: args/)
    const extra = await fail('getLearningCurves', [f.gbdt.id, { top: 3, colour: 'red' }])
    expect(extra.code).toBe('BAD_ARGS')
  })

  it('returns missing studies, trials, params and files as error data', async () => {
    expect((await fail('getHistoryView', [999])).code).toBe('STUDY_NOT_FOUND')
    expect((await fail('compareTrials', [f.gbdt.id, [0, 9999]])).message).toBe(
      `study ${f.gbdt.id} has no trial 9999`,
    )
    const param = await fail('getSlice', [f.gbdt.id, 'nope'])
    expect(param).toMatchObject({ code: 'BAD_ARGS' })
    expect(param.message).toMatch(/"nope" is not a parameter of this study/)
    const escape = await fail('readTrialFile', [f.gbdt.id, 0, '../../studies.sqlite'])
    expect(escape.code).toBe('BAD_ARGS')
    expect((await fail('getSnippets', [f.gbdt.id, 9999])).code).toBe('TRIAL_NOT_FOUND')
  })
})
