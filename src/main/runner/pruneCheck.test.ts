import { afterEach, describe, expect, it } from 'vitest'
import { addFinished, closeTestStores, openTestStudy } from '../../../test/helpers/testStudy.ts'
import { createPruneCheck } from './pruneCheck.ts'

afterEach(closeTestStores)

describe('prune check', () => {
  it("judges a running trial by the study's pruner against every curve in the store", () => {
    const { store, study } = openTestStudy({
      pruner: { kind: 'median', minTrials: 2 },
    })
    for (const c of [
      [1, 0.5, 0.3],
      [1.2, 0.6, 0.4],
      [0.9, 0.4, 0.2],
    ])
      addFinished(store, study.id, 'complete', c.at(-1)!, c)
    const shouldPrune = createPruneCheck(store, study)
    const good = store.createTrial(study.id, { state: 'running', params: {} })
    const bad = store.createTrial(study.id, { state: 'running', params: {} })
    store.addIntermediate(good.id, 0, 0.8)
    store.addIntermediate(bad.id, 0, 5)
    expect(shouldPrune(good.number)).toBe(false)
    expect(shouldPrune(bad.number)).toBe(true)
    // the newest value counts: the pruner reads the store at each check
    store.addIntermediate(good.id, 1, 9)
    expect(shouldPrune(good.number)).toBe(true)
    expect(shouldPrune(999)).toBe(false)
  })

  it('never reads the store without a pruner', () => {
    const { study } = openTestStudy({ pruner: { kind: 'none' } })
    const store = {
      listTrialCurves: () => {
        throw new Error('read')
      },
    }
    expect(createPruneCheck(store, study)(0)).toBe(false)
  })
})
