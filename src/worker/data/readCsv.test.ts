import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { DatasetError, readCsv } from './readCsv.ts'

const FIXTURES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../test/fixtures/csv',
)
const fixture = (name: string): string => path.join(FIXTURES, name)
const DATASETS = path.resolve(FIXTURES, '../../../resources/datasets')

function readError(file: string, options: Parameters<typeof readCsv>[1] = {}): DatasetError {
  try {
    readCsv(file, options)
  } catch (e) {
    expect(e).toBeInstanceOf(DatasetError)
    return e as DatasetError
  }
  throw new Error(`${file} was read without an error`)
}

describe('readCsv', () => {
  it('reads features as float32 with NaN for missing cells, string labels as sorted classes', () => {
    const ds = readCsv(fixture('string_labels.csv'), { target: 'species' })
    expect(ds.header).toEqual(['x1', 'x2', 'species', 'weight'])
    expect(ds.featureNames).toEqual(['x1', 'x2', 'weight'])
    expect(ds.target).toBe('species')
    expect([ds.rows, ds.cols]).toEqual([6, 3])
    expect(ds.classes).toEqual(['setosa', 'versicolor', 'virginica'])
    expect(Array.from(ds.labels)).toEqual([0, 2, 0, 1, 2, 1])
    expect(Array.from(ds.features.subarray(0, 3))).toEqual([1.5, NaN, 10])
    expect(ds.features[2 * 3]).toBeNaN()
    expect(ds.features[2 * 3 + 1]).toBe(Math.fround(1e-3))
    expect(ds.features[3 * 3 + 1]).toBeNaN()
    expect(ds.missingCells).toBe(3)
  })

  it('takes the last column as the target by default and maps integer classes in numeric order', () => {
    const ds = readCsv(fixture('int_labels.csv'))
    expect(ds.target).toBe('label')
    expect(ds.classes).toEqual(['-1', '2', '5'])
    expect(Array.from(ds.labels)).toEqual([1, 2, 1, 2, 0])
  })

  it('reads mixed line endings and a last line without one', () => {
    const ds = readCsv(fixture('mixed_line_endings.csv'))
    expect(Array.from(ds.features)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(Array.from(ds.labels)).toEqual([0, 1, 0, 1])
  })

  it('reads a sample data set with its documented shape', () => {
    const ds = readCsv(path.join(DATASETS, 'vehicle.csv'))
    expect([ds.rows, ds.cols, ds.classes.length]).toEqual([846, 18, 4])
    expect(ds.classes).toEqual(['0', '1', '2', '3'])
  })

  it('maps a companion file to the training classes and refuses an unknown class with its line', () => {
    const train = readCsv(fixture('string_labels.csv'), { target: 'species' })
    const e = readError(fixture('string_labels_unknown_class.csv'), {
      target: 'species',
      classes: train.classes,
      columns: train.header,
    })
    expect(e.line).toBe(3)
    expect(e.column).toBe(3)
    expect(e.message).toContain('string_labels_unknown_class.csv:3: column 3 ("species")')
    expect(e.message).toContain('class "daisy" is not in the training data')
  })

  it('refuses a companion file whose columns differ', () => {
    const train = readCsv(fixture('string_labels.csv'), { target: 'species' })
    const e = readError(fixture('string_labels_other_columns.csv'), {
      target: 'species',
      classes: train.classes,
      columns: train.header,
    })
    expect(e.message).toMatch(/string_labels_other_columns\.csv:1: the columns must match/)
  })

  it.each([
    ['empty.csv', {}, /empty\.csv: the file is empty/, null, null],
    [
      'header_only.csv',
      {},
      /header_only\.csv: the file has a header row but no data rows/,
      1,
      null,
    ],
    ['non_numeric.csv', {}, /non_numeric\.csv:3: column 2 \("b"\): non-numeric value "abc"/, 3, 2],
    [
      'wrong_column_count.csv',
      {},
      /wrong_column_count\.csv:4: expected 3 columns as in the header, got 2/,
      4,
      null,
    ],
    [
      'single_class.csv',
      {},
      /single_class\.csv: column 3 \("target"\): the target has a single class \("yes"\)/,
      null,
      3,
    ],
    [
      'missing_target.csv',
      {},
      /missing_target\.csv:3: column 3 \("target"\): the target is missing/,
      3,
      3,
    ],
    [
      'non_numeric.csv',
      { target: 'label' },
      /non_numeric\.csv:1: no target column "label"; the columns are a, b, target/,
      1,
      null,
    ],
    ['unclosed_quote.csv', {}, /unclosed_quote\.csv:\d+: not a readable CSV file/, null, null],
    ['does_not_exist.csv', {}, /does_not_exist\.csv: cannot read the file/, null, null],
  ] as const)('%s %j: %s', (name, options, message, line, column) => {
    const e = readError(fixture(name), options)
    expect(e.message).toMatch(message)
    expect(e.file).toBe(fixture(name))
    if (line !== null) expect(e.line).toBe(line)
    if (column !== null) expect(e.column).toBe(column)
  })
})
