import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createNumpyRandomState } from '../../shared/numpyRandomState.ts'
import { readCsv } from './readCsv.ts'
import { splitDataset, takeRows } from './splitDataset.ts'

const DATASETS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../resources/datasets',
)
const NAMES = ['iris', 'wine', 'breast_cancer_wdbc', 'vehicle', 'digits']

describe('numpy RandomState', () => {
  // Expected values printed by numpy 1.24 (Debian's python3-numpy).
  it('draws MT19937 numbers as numpy does for a seed', () => {
    const rng = createNumpyRandomState(0)
    expect([rng.nextUint32(), rng.nextUint32()]).toEqual([2357136044, 2546248239])
  })

  it('permutes like numpy.random.RandomState(seed).permutation', () => {
    expect(createNumpyRandomState(0).permutation(10)).toEqual([2, 8, 4, 9, 1, 6, 7, 3, 0, 5])
    expect(createNumpyRandomState(12345).permutation(20)).toEqual([
      13, 8, 16, 3, 15, 12, 0, 10, 7, 11, 6, 17, 19, 18, 14, 9, 4, 1, 5, 2,
    ])
  })

  it('chooses without replacement, then continues the same stream', () => {
    const rng = createNumpyRandomState(7)
    const values = Array.from({ length: 10 }, (_, i) => 100 + i)
    expect(rng.choiceWithoutReplacement(values, 4)).toEqual([108, 105, 100, 102])
    expect(rng.permutation([3, 1, 4, 1, 5, 9, 2, 6])).toEqual([1, 5, 9, 1, 3, 6, 4, 2])
  })

  it('refuses a seed numpy refuses', () => {
    expect(() => createNumpyRandomState(-1)).toThrow(/\[0, 2\*\*32 - 1\]/)
    expect(() => createNumpyRandomState(1.5)).toThrow()
  })
})

describe('splitDataset', () => {
  it.each(NAMES)(
    "%s: a stratified 80/20 split with seed 0 is the reference split file's, row for row",
    (name) => {
      const ds = readCsv(path.join(DATASETS, `${name}.csv`))
      const ref = JSON.parse(readFileSync(path.join(DATASETS, 'splits', `${name}.json`), 'utf8'))
      const split = splitDataset(ds.labels, { fraction: 0.2, stratify: true, seed: 0 })
      expect(split.train).toEqual(ref.train)
      expect(split.valid).toEqual(ref.valid)
    },
  )

  it('without stratification takes the first ceil(fraction × n) of a permutation as validation', () => {
    const labels = Int32Array.from({ length: 25 }, (_, i) => i % 2)
    const split = splitDataset(labels, { fraction: 0.2, stratify: false, seed: 0 })
    expect(split.valid).toEqual([5, 2, 19, 16, 11])
    expect(split.train).toEqual([
      22, 17, 24, 23, 14, 1, 10, 13, 8, 6, 18, 4, 9, 7, 20, 3, 0, 21, 15, 12,
    ])
  })

  it('keeps class proportions, covers every row once, and depends on the seed', () => {
    const labels = Int32Array.from({ length: 200 }, (_, i) => (i < 150 ? 0 : i < 190 ? 1 : 2))
    const a = splitDataset(labels, { fraction: 0.25, stratify: true, seed: 3 })
    const b = splitDataset(labels, { fraction: 0.25, stratify: true, seed: 4 })
    expect(a.valid.length).toBe(50)
    expect([...a.train, ...a.valid].sort((x, y) => x - y)).toEqual(
      Array.from({ length: 200 }, (_, i) => i),
    )
    const count = (rows: number[], k: number) => rows.filter((r) => labels[r] === k).length
    expect(Math.abs(count(a.valid, 0) - 37.5)).toBeLessThanOrEqual(1)
    expect(count(a.valid, 1)).toBe(10)
    expect(Math.abs(count(a.valid, 2) - 2.5)).toBeLessThanOrEqual(1)
    expect(b.valid).not.toEqual(a.valid)
  })

  it('explains a class too small to stratify', () => {
    const labels = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1, 2])
    expect(() =>
      splitDataset(labels, { fraction: 0.3, stratify: true, seed: 0 }, ['a', 'b', 'c']),
    ).toThrow(/class "c" has only 1 row; a stratified split needs at least 2 per class/)
  })

  it('takes rows in the given order', () => {
    const ds = readCsv(
      path.resolve(
        path.dirname(fileURLToPath(import.meta.url)),
        '../../../test/fixtures/csv/int_labels.csv',
      ),
    )
    const part = takeRows(ds, [4, 0])
    expect(Array.from(part.features)).toEqual([9, 10, 1, 2])
    expect(Array.from(part.labels)).toEqual([0, 1])
    expect(() => takeRows(ds, [5])).toThrow(/row 5 is not in 0\.\.4/)
  })
})
