// Importance end to end: trials in a real SQLite store, fANOVA in the real analysis worker process.
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAnalysisContext, studyImportance } from '../../src/main/views/studyAnalysis.ts'
import { openStudyStore } from '../../src/main/store/openStudyStore.ts'
import type { StudyStore } from '../../src/main/store/studyStore.ts'
import { createRng } from '../../src/shared/rng.ts'
import { sampleConfig } from '../../src/shared/spaceCodec.ts'
import { createFixtureStudy } from '../helpers/analysisFixtures.ts'

let dir: string
let store: StudyStore
let ctx: ReturnType<typeof createAnalysisContext>

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hpo-importance-'))
  store = openStudyStore(path.join(dir, 'studies.sqlite'))
  ctx = createAnalysisContext(store)
})
afterAll(() => {
  ctx?.close()
  store?.close()
  rmSync(dir, { recursive: true, force: true })
})

const SEEDS = [11, 22, 33]

describe.each(['minimize', 'maximize'] as const)('importance of a %s study', (direction) => {
  it('gives the dimension the function ignores < 0.02, last, for each of 3 forest seeds', async () => {
    const study = createFixtureStudy(store, {
      name: `ignored-dim-${direction}`,
      direction,
      metric: 'score',
      objective: { kind: 'command', run: ['./objective'] },
      space: {
        x: { type: 'float', low: 0, high: 1 },
        y: { type: 'float', low: 0, high: 1 },
        ignored: { type: 'float', low: 0, high: 1 },
      },
    })
    const rng = createRng(5)
    const space = study.spec.space
    store.importTrials(
      study.id,
      Array.from({ length: 300 }, () => {
        const params = sampleConfig(space, rng)
        const x = Number(params.x)
        const y = Number(params.y)
        const f = 10 * (x - 0.3) ** 2 + 2 * Math.sin(4 * y)
        return { params, value: direction === 'minimize' ? f : -f }
      }),
    )
    const imp = await studyImportance(ctx, study.id, { seeds: SEEDS, timeBudgetMs: 20_000 })
    expect(imp.warning).toBeNull()
    expect(imp.trialsUsed).toBe(300)
    const ignored = imp.params.find((p) => p.name === 'ignored')!
    expect(imp.params.at(-1)!.name).toBe('ignored')
    expect(ignored.mean).toBeLessThan(0.02)
    SEEDS.forEach((_, s) => {
      expect(ignored.perSeed[s]).toBeLessThan(0.02)
      for (const p of imp.params)
        if (p.name !== 'ignored') expect(p.perSeed[s]).toBeGreaterThan(ignored.perSeed[s])
    })
    expect(imp.params[0].name).toBe('x')
  })
})
