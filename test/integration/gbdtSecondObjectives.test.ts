// The gbdt objective's further values (training seconds, model size) with the real XGBoost library,
// on a small data set written here, as the trial worker calls it.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createRng } from '../../src/shared/rng.ts'
import {
  createGbdtObjective,
  trainAndSaveGbdtModel,
} from '../../src/worker/objectives/gbdtObjective.ts'
import { findXgboostLibrary } from '../../src/worker/xgboost/findXgboostLibrary.ts'
import type { GbdtObjectiveSpec } from '../../src/worker/xgboost/gbdtData.ts'

process.env.OMP_WAIT_POLICY ??= 'PASSIVE'
let skip = ''
try {
  findXgboostLibrary()
} catch (e) {
  skip = (e as Error).message
}
if (skip) console.log(`skipping: ${skip}`)

const tmp = mkdtempSync(path.join(os.tmpdir(), 'hpo-gbdt2-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** Three noisy blobs in four features, 240 rows. */
function blobs(): string {
  const rng = createRng(3)
  const rows = ['a,b,c,d,label']
  for (let i = 0; i < 240; i++) {
    const k = i % 3
    const f = [0, 1, 2, 3].map((j) => (k === j % 3 ? 1.5 : 0) + rng.normal())
    rows.push([...f.map((v) => v.toFixed(4)), `class${k}`].join(','))
  }
  return rows.join('\n')
}

describe.skipIf(!!skip)('gbdt: training seconds and model size as objectives', () => {
  const file = path.join(tmp, 'blobs.csv')
  writeFileSync(file, blobs())
  const spec: GbdtObjectiveSpec = {
    kind: 'gbdt',
    dataset: file,
    validation: { fraction: 0.25, stratify: true, seed: 0 },
    fixed: { tree_method: 'hist' },
  }
  const params = { max_depth: 3, eta: 0.3, n_estimators: 20 }
  const ctx = {
    trialNumber: 0,
    seed: 1,
    trialDir: tmp,
    signal: new AbortController().signal,
    log: () => {},
    report: () => {},
    attr: () => {},
  }

  it('reports the metric, the boosting time and, when asked, the saved model’s size in bytes', async () => {
    const run = { metric: 'accuracy', resources: { nthread: 1 } }
    const asked = await createGbdtObjective(spec, { ...run, values: ['model_bytes'] }).run(
      params,
      ctx,
    )
    expect(asked.values).toMatchObject({ accuracy: asked.value })
    const values = asked.values as Record<string, number>
    expect(values.train_seconds).toBeGreaterThan(0)
    const saved = await trainAndSaveGbdtModel(spec, run, params, 1, path.join(tmp, 'm.json'))
    // the exported file adds feature names and classes to the same trees
    const exported = statSync(saved.file).size
    expect(values.model_bytes).toBeLessThanOrEqual(exported)
    expect(values.model_bytes).toBeGreaterThan(0.98 * exported)
    // a bigger ensemble is a bigger model
    const more = await createGbdtObjective(spec, { ...run, values: ['model_bytes'] }).run(
      { ...params, n_estimators: 60 },
      ctx,
    )
    expect((more.values as Record<string, number>).model_bytes).toBeGreaterThan(values.model_bytes)
    const plain = await createGbdtObjective(spec, run).run(params, ctx)
    expect(plain.values).not.toHaveProperty('model_bytes')
  })
})
