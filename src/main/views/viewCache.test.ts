import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createFixtureStudy } from '../../../test/helpers/analysisFixtures.ts'
import { openStudyStore } from '../store/openStudyStore.ts'
import { createTrialCache } from './trialCache.ts'
import { createViewCache } from './viewCache.ts'

const dir = mkdtempSync(path.join(os.tmpdir(), 'hpo-view-cache-'))
const store = openStudyStore(path.join(dir, 's.sqlite'))
afterAll(() => {
  store.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('view cache', () => {
  it('answers from the cache until a trial changes, and never keeps a failure', async () => {
    const study = createFixtureStudy(store, {
      name: 'v',
      direction: 'minimize',
      objective: { kind: 'synthetic', function: 'branin' },
    })
    const views = createViewCache(store, createTrialCache(store))
    let computed = 0
    const view = () => views.get(study.id, 'k', () => ++computed)
    expect(view()).toBe(1)
    expect(view()).toBe(1)
    expect(views.get(study.id, 'other', () => 'x')).toBe('x')
    const t = store.createTrial(study.id, { state: 'running', params: { x1: 1, x2: 1 } })
    expect(view()).toBe(2)
    store.finishTrial(t.id, { state: 'complete', value: 3 })
    expect(view()).toBe(3)
    expect(view()).toBe(3)

    const failing = () => views.get(study.id, 'bad', () => Promise.reject(new Error('no')))
    await expect(failing()).rejects.toThrow('no')
    let retried = false
    await views.get(study.id, 'bad', async () => (retried = true))
    expect(retried).toBe(true)
  })
})
