import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { findXgboostLibrary } from './findXgboostLibrary.ts'
import { cleanXgboostMessage, loadXgboostLibrary, type XgboostLibrary } from './xgboostLibrary.ts'

let lib: XgboostLibrary | null = null
try {
  lib = loadXgboostLibrary(findXgboostLibrary().path)
} catch (e) {
  console.log(`skipping XGBoost library tests: ${(e as Error).message}`)
}
const tmp = mkdtempSync(path.join(os.tmpdir(), 'hpo-xgb-lib-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

// 40 rows, 2 features; class 1 when x0 + x1 > 1.
function toyData() {
  const rows = 40
  const data = new Float32Array(rows * 2)
  const labels = new Float32Array(rows)
  for (let i = 0; i < rows; i++) {
    data[2 * i] = ((i * 7919) % 97) / 97
    data[2 * i + 1] = ((i * 104729) % 89) / 89
    labels[i] = data[2 * i] + data[2 * i + 1] > 1 ? 1 : 0
  }
  return { rows, data, labels }
}

function trainedBooster(x: XgboostLibrary, rounds = 3) {
  const { rows, data, labels } = toyData()
  const d = x.createDMatrix(data, rows, 2)
  d.setLabels(labels)
  const b = x.createBooster([d])
  b.setParam('objective', 'binary:logistic')
  b.setParam('nthread', '1')
  for (let r = 0; r < rounds; r++) b.updateOneIter(r, d)
  return { d, b, rows }
}

describe('cleanXgboostMessage', () => {
  it('drops the timestamp, source location and stack trace', () => {
    expect(
      cleanXgboostMessage(
        '[09:51:21] ./src/gbm/gbm.cc:24: Unknown gbm type foo\nStack trace:\n  [bt] (0) /usr/lib/libxgboost.so.0(+0x1)',
      ),
    ).toBe('Unknown gbm type foo')
    expect(
      cleanXgboostMessage(
        'value -1 for Parameter max_depth should be greater equal to 0\nmax_depth: Maximum depth',
      ),
    ).toBe(
      'value -1 for Parameter max_depth should be greater equal to 0\nmax_depth: Maximum depth',
    )
  })
})

describe.skipIf(!lib)('XGBoost C API through koffi', () => {
  const x = lib as XgboostLibrary

  it('reports a version of 1.7 or newer', () => {
    expect(x.version[0] * 100 + x.version[1]).toBeGreaterThanOrEqual(107)
    expect(x.describe()).toMatch(/^xgboost \d+\.\d+\.\d+ \(libxgboost/)
  })

  it('trains, predicts one probability per row, evaluates, slices and saves JSON', () => {
    const { d, b, rows } = trainedBooster(x, 4)
    const preds = b.predict(d)
    expect(preds.length).toBe(rows)
    expect(preds.every((p) => p > 0 && p < 1)).toBe(true)
    expect(b.evalOneIter(3, [d], ['train'])).toMatch(/^\[3\]\ttrain-logloss:\d/)
    expect(b.boostedRounds()).toBe(4)
    const first = b.slice(0, 2)
    expect(first.boostedRounds()).toBe(2)
    first.free()
    b.setFeatureNames(['x0', 'x1'])
    b.setAttr('note', 'hello')
    const model = JSON.parse(b.modelJson())
    expect(model.learner.feature_names).toEqual(['x0', 'x1'])
    expect(model.learner.attributes.note).toBe('hello')
    expect(model.learner.gradient_booster.model.trees.length).toBe(4)
    const file = path.join(tmp, 'model.json')
    b.saveModel(file)
    expect(JSON.parse(readFileSync(file, 'utf8')).version).toEqual(x.version)
    b.free()
    d.free()
  })

  it('checks shapes before calling XGBoost', () => {
    const { rows, data, labels } = toyData()
    expect(() => x.createDMatrix(data.subarray(0, rows * 2 - 1), rows, 2)).toThrow(
      /DMatrix data has 79 values, expected rows × columns = 40 × 2 = 80/,
    )
    expect(() => x.createDMatrix(new Float64Array(80) as unknown as Float32Array, rows, 2)).toThrow(
      /must be a Float32Array/,
    )
    expect(() => x.createDMatrix(new Float32Array([1, Infinity]), 1, 2)).toThrow(/infinite value/)
    const d = x.createDMatrix(data, rows, 2)
    expect(() => d.setLabels(labels.subarray(1))).toThrow(
      /labels must be a Float32Array of 40 values/,
    )
    d.free()
  })

  it('frees each handle once and refuses a freed or foreign handle instead of crashing', () => {
    const { d, b } = trainedBooster(x, 1)
    d.free()
    expect(d.freed).toBe(true)
    expect(() => d.free()).not.toThrow()
    expect(() => b.predict(d)).toThrow(/DMatrix used after it was freed/)
    expect(() => b.updateOneIter(1, d)).toThrow(/DMatrix used after it was freed/)
    const { d: d2, b: b2 } = trainedBooster(x, 1)
    expect(() => b2.predict(b as never)).toThrow(/not a DMatrix created by this XGBoost library/)
    expect(() => b2.predict({ rows: 40, cols: 2 } as never)).toThrow(/not a DMatrix/)
    b.free()
    expect(() => b.free()).not.toThrow()
    expect(() => b.predict(d2)).toThrow(/booster used after it was freed/)
    b2.free()
    d2.free()
  })

  it("turns XGBoost's error into an Error with its text, then refuses the broken booster", () => {
    const { rows, data, labels } = toyData()
    const d = x.createDMatrix(data, rows, 2)
    d.setLabels(labels)
    const b = x.createBooster([d])
    b.setParam('objective', 'binary:logistic')
    b.setParam('max_depth', '-1')
    expect(() => b.updateOneIter(0, d)).toThrow(
      /^value -1 for Parameter max_depth should be greater equal to 0/,
    )
    expect(() => b.updateOneIter(0, d)).toThrow(/booster unusable after an earlier error: value -1/)
    b.free()
    d.free()
  })
})
