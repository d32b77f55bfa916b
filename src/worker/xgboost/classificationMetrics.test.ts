import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { readCsv } from '../data/readCsv.ts'
import { splitDataset, takeRows } from '../data/splitDataset.ts'
import {
  binaryAuc,
  classificationMetric,
  correctCount,
  type GbdtMetric,
} from './classificationMetrics.ts'
import { findXgboostLibrary } from './findXgboostLibrary.ts'
import { loadXgboostLibrary, type XgboostLibrary } from './xgboostLibrary.ts'

const DATASETS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../resources/datasets',
)
let lib: XgboostLibrary | null = null
try {
  lib = loadXgboostLibrary(findXgboostLibrary().path)
} catch (e) {
  console.log(`skipping the comparison with XGBoost's metrics: ${(e as Error).message}`)
}

describe('classification metrics', () => {
  it('binary: threshold 0.5 (exclusive), logloss, AUC with ties counted one half', () => {
    const preds = new Float32Array([0.9, 0.5, 0.2, 0.7])
    const labels = Int32Array.from([1, 1, 0, 0])
    expect(correctCount(preds, labels, 2)).toBe(2)
    expect(classificationMetric('accuracy', preds, labels, 2)).toBe(0.5)
    expect(classificationMetric('error', preds, labels, 2)).toBe(0.5)
    const ll =
      -(
        Math.log(Math.fround(0.9)) +
        Math.log(0.5) +
        Math.log(1 - Math.fround(0.2)) +
        Math.log(1 - Math.fround(0.7))
      ) / 4
    expect(classificationMetric('logloss', preds, labels, 2)).toBeCloseTo(ll, 12)
    expect(classificationMetric('auc', preds, labels, 2)).toBe(0.75)
    expect(binaryAuc([0.3, 0.3], [true, false])).toBe(0.5)
    expect(binaryAuc([0.1, 0.2], [true, true])).toBeNaN()
  })

  it('multi-class: first argmax, logloss of the true class, AUC weighted by prevalence', () => {
    const preds = new Float32Array([0.5, 0.5, 0, 0.1, 0.2, 0.7, 0.6, 0.3, 0.1])
    const labels = Int32Array.from([1, 2, 0])
    expect(correctCount(preds, labels, 3)).toBe(2)
    expect(classificationMetric('logloss', preds, labels, 3)).toBeCloseTo(
      -(Math.log(0.5) + Math.log(Math.fround(0.7)) + Math.log(Math.fround(0.6))) / 3,
      12,
    )
    expect(classificationMetric('auc', preds, labels, 3)).toBe(1)
    expect(() => classificationMetric('accuracy', preds, labels, 2)).toThrow(
      /9 predictions for 3 rows/,
    )
  })

  // Our values and XGBoost's own eval metrics on the same predictions.
  it.skipIf(!lib).each([
    ['breast_cancer_wdbc', ['error', 'logloss', 'auc']],
    ['vehicle', ['merror', 'mlogloss', 'auc']],
  ] as const)("%s: equal to XGBoost's %j after 1–20 rounds", (name, xgbMetrics) => {
    const x = lib as XgboostLibrary
    const ds = readCsv(path.join(DATASETS, `${name}.csv`))
    const split = splitDataset(ds.labels, { fraction: 0.2, stratify: true, seed: 0 })
    const train = takeRows(ds, split.train)
    const valid = takeRows(ds, split.valid)
    const k = ds.classes.length
    const dtrain = x.createDMatrix(train.features, train.rows, train.cols)
    dtrain.setLabels(Float32Array.from(train.labels))
    const dvalid = x.createDMatrix(valid.features, valid.rows, valid.cols)
    dvalid.setLabels(Float32Array.from(valid.labels))
    const b = x.createBooster([dtrain, dvalid])
    b.setParam('objective', k === 2 ? 'binary:logistic' : 'multi:softprob')
    if (k > 2) b.setParam('num_class', String(k))
    b.setParam('nthread', '1')
    b.setParam('max_depth', '2')
    for (const m of xgbMetrics) b.setParam('eval_metric', m)
    const ours: GbdtMetric[] = ['error', 'logloss', 'auc']
    for (let r = 0; r < 20; r++) {
      b.updateOneIter(r, dtrain)
      if (r !== 0 && r !== 19) continue
      const line = b.evalOneIter(r, [dvalid], ['valid'])
      const theirs = xgbMetrics.map((m) =>
        Number(new RegExp(`valid-${m}:([^\\t]+)`).exec(line)?.[1]),
      )
      const preds = b.predict(dvalid)
      ours.forEach((m, i) => {
        expect(classificationMetric(m, preds, valid.labels, k)).toBeCloseTo(theirs[i], 6)
      })
    }
    b.free()
    dvalid.free()
    dtrain.free()
  })
})
