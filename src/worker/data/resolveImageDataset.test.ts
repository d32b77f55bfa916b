import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { resolveImageDataset, splitTrainValidation } from './resolveImageDataset.ts'

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/idx')
const dir = mkdtempSync(path.join(os.tmpdir(), 'hpo-resolve-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('resolveImageDataset', () => {
  it('finds fashion-mnist in a data folder, with its official test files', () => {
    const r = resolveImageDataset('fashion-mnist', [FIXTURES], [])
    expect(r.train.images).toBe(path.join(FIXTURES, 'fashion-mnist', 'train-images-idx3-ubyte.gz'))
    expect(r.train.labels).toBe(path.join(FIXTURES, 'fashion-mnist', 'train-labels-idx1-ubyte'))
    expect(r.test?.images).toBe(path.join(FIXTURES, 'fashion-mnist', 't10k-images-idx3-ubyte.gz'))
    // A data folder that is itself named after the data set works too.
    expect(
      resolveImageDataset('fashion-mnist', [path.join(FIXTURES, 'fashion-mnist')], []).name,
    ).toBe('fashion-mnist')
  })

  it("falls back to Debian's folder for fashion-mnist only, and says how to get a missing data set", () => {
    const system = path.join(dir, 'usr-share-datasets')
    mkdirSync(path.join(system, 'fashion-mnist'), { recursive: true })
    for (const f of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte']) {
      writeFileSync(path.join(system, 'fashion-mnist', f), '')
    }
    expect(resolveImageDataset('fashion-mnist', [dir], [system]).train.images).toBe(
      path.join(system, 'fashion-mnist', 'train-images-idx3-ubyte'),
    )
    expect(resolveImageDataset('fashion-mnist', [dir], [system]).test).toBeNull()
    expect(() => resolveImageDataset('mnist', [dir], [system])).toThrow(
      `mnist: no train-images-idx3-ubyte(.gz) and train-labels-idx1-ubyte(.gz) found in ${path.join(dir, 'mnist')};`,
    )
    expect(() => resolveImageDataset('fashion-mnist', [], [])).toThrow(
      /apt-get install dataset-fashion-mnist/,
    )
  })

  it('takes explicit files as they are and refuses a missing one', () => {
    const images = path.join(FIXTURES, 'fashion-mnist', 'train-images-idx3-ubyte.gz')
    const labels = path.join(FIXTURES, 'fashion-mnist', 'train-labels-idx1-ubyte')
    expect(resolveImageDataset({ images, labels })).toEqual({
      name: 'train-images-idx3-ubyte.gz',
      train: { images, labels },
      test: null,
    })
    expect(() => resolveImageDataset({ images, labels: '/no/such/labels' })).toThrow(
      '/no/such/labels: file not found',
    )
  })
})

describe('splitTrainValidation', () => {
  it('splits off a seeded validation part: disjoint, complete, the same for the same seed', () => {
    const a = splitTrainValidation(1000, { fraction: 0.2, seed: 3 })
    expect(a.validation.length).toBe(200)
    expect(a.train.length).toBe(800)
    expect(new Set([...a.train, ...a.validation]).size).toBe(1000)
    expect(splitTrainValidation(1000, { fraction: 0.2, seed: 3 })).toEqual(a)
    expect(splitTrainValidation(1000, { fraction: 0.2, seed: 4 }).validation).not.toEqual(
      a.validation,
    )
  })

  it('takes subsets from each part without moving images between them', () => {
    const full = splitTrainValidation(1000, { fraction: 0.2, seed: 3 })
    const sub = splitTrainValidation(1000, {
      fraction: 0.2,
      seed: 3,
      trainSubset: 100,
      validationSubset: 50,
    })
    expect(sub.train.length).toBe(100)
    expect(sub.validation.length).toBe(50)
    const fullValidation = new Set(full.validation)
    expect([...sub.validation].every((i) => fullValidation.has(i))).toBe(true)
    expect([...sub.train].some((i) => fullValidation.has(i))).toBe(false)
    expect(() => splitTrainValidation(1, { fraction: 0.5, seed: 0 })).toThrow(
      /at least 2 training images/,
    )
  })
})
