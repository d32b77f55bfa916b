import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { datasetInfo, sha256Hex } from './datasetInfo.ts'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const DATASETS = path.resolve(HERE, '../../../resources/datasets')

describe('datasetInfo', () => {
  it('hashes bytes as sha256sum does', () => {
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    )
  })

  it('summarizes a CSV: shape, classes and their counts, missing cells', () => {
    const file = path.resolve(HERE, '../../../test/fixtures/csv/string_labels.csv')
    const info = datasetInfo(file, { target: 'species' })
    expect(info).toMatchObject({
      kind: 'tabular',
      name: 'string_labels',
      path: file,
      rows: 6,
      features: 3,
      featureNames: ['x1', 'x2', 'weight'],
      target: 'species',
      classes: ['setosa', 'versicolor', 'virginica'],
      classCounts: [2, 2, 2],
      missingCells: 3,
      bytes: readFileSync(file).length,
    })
    expect(info.sha256).toMatch(/^[0-9a-f]{64}$/)
  })

  it('matches the hashes and shapes in meta.json', () => {
    const meta = JSON.parse(readFileSync(path.join(DATASETS, 'meta.json'), 'utf8')) as {
      name: string
      sha256: string
      rows: number
      features: number
      n_classes: number
      missing_cells: number
    }[]
    for (const m of meta) {
      const info = datasetInfo(path.join(DATASETS, `${m.name}.csv`))
      expect([
        info.sha256,
        info.rows,
        info.features,
        info.classes.length,
        info.missingCells,
      ]).toEqual([m.sha256, m.rows, m.features, m.n_classes, m.missing_cells])
    }
  })
})
