// Runs in a trial worker: reads a tabular classification data set (CSV) into a float32 matrix
// for XGBoost. Every error names the file, the line and the column.
import { parse } from 'csv-parse/sync'
import { MAX_CSV_BYTES } from '../../shared/objectiveSpec.ts'
import { DataFileError, readDataFile } from './readDataFile.ts'

/** A classification table: features row-major as float32 (NaN = missing), labels as class indices. */
export interface TabularDataset {
  file: string
  /** Every column name, as in the header row. */
  header: string[]
  /** Feature column names, in file order (the target column removed). */
  featureNames: string[]
  target: string
  rows: number
  cols: number
  /** rows × cols, row-major; a missing cell is NaN. */
  features: Float32Array
  /** Class index per row, 0..classes.length−1. */
  labels: Int32Array
  /** Original label of each class index ("0", "1"… for integer classes; sorted as numbers or as strings). */
  classes: string[]
  missingCells: number
}

export interface ReadCsvOptions {
  /** Target column name; default the last column. */
  target?: string
  /** Classes of the training file: labels are mapped to these, and an unknown one is an error (validation and test files). */
  classes?: readonly string[]
  /** Column names the file must have, in this order (a validation or test file against its training file). */
  columns?: readonly string[]
  /** A training file needs two classes at least (default true; false when `classes` is given). */
  requireTwoClasses?: boolean
}

/** An error in a data file, with where it is. */
export class DatasetError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number | null = null,
    readonly column: number | null = null,
    /** Where (line, column) and what is wrong, never quoting the file (the message may quote a cell). */
    readonly reason: string = message,
  ) {
    super(message)
    this.name = 'DatasetError'
  }

  /** The file and the reason — never text of the file (it may be any file). */
  get withoutContent(): string {
    return `${this.file}: ${this.reason}`
  }
}

/** Cell texts read as missing values. */
export const MISSING_TOKENS: ReadonlySet<string> = new Set(['', 'NA', 'NaN', 'nan', 'N/A', '?'])
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/
const INTEGER_LABEL = /^[+-]?\d+(\.0*)?$/

function canonicalLabel(text: string): string {
  return INTEGER_LABEL.test(text) ? String(Number(text)) : text
}

/** Sorted as numbers when every label is an integer, else as strings (as numpy's unique sorts them). */
function sortClasses(labels: Iterable<string>): string[] {
  const list = [...labels]
  if (list.every((l) => INTEGER_LABEL.test(l))) return list.sort((a, b) => Number(a) - Number(b))
  return list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

interface Row {
  cells: string[]
  line: number
}

function parseRows(file: string, text: string): Row[] {
  try {
    const records = parse(text, {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      // mixed line endings happen when files are concatenated
      record_delimiter: ['\r\n', '\n', '\r'],
      bom: true,
      trim: true,
    }) as unknown as { record: string[]; info: { lines: number } }[]
    return records.map((r) => ({ cells: r.record, line: r.info.lines }))
  } catch (e) {
    const err = e as Error & { lines?: number }
    throw new DatasetError(
      `${file}${err.lines ? `:${err.lines}` : ''}: not a readable CSV file: ${err.message}`,
      file,
      err.lines ?? null,
      null,
      `${err.lines ? `line ${err.lines}: ` : ''}not a readable CSV file`,
    )
  }
}

/** Reads a CSV with a header row, numeric features and a class target. */
export function readCsv(file: string, options: ReadCsvOptions = {}): TabularDataset {
  let text: string
  try {
    text = readDataFile(file, MAX_CSV_BYTES).toString('utf8')
  } catch (e) {
    const detail = (e as DataFileError).detail
    throw new DatasetError(
      `${file}: cannot read the file: ${detail}`,
      file,
      null,
      null,
      `cannot read the file: ${detail}`,
    )
  }
  const rows = parseRows(file, text)
  if (rows.length === 0)
    throw new DatasetError(
      `${file}: the file is empty (expected a header row and data rows)`,
      file,
      null,
      null,
      'the file is empty (expected a header row and data rows)',
    )
  const header = rows[0].cells
  const where = (line: number, col: number): string =>
    `${file}:${line}: column ${col + 1} (${JSON.stringify(header[col] ?? '')})`
  if (rows.length === 1)
    throw new DatasetError(
      `${file}: the file has a header row but no data rows`,
      file,
      1,
      null,
      'the file has a header row but no data rows',
    )
  if (header.length < 2)
    throw new DatasetError(
      `${file}:${rows[0].line}: the header has ${header.length} column; a data set needs at least one feature and a target`,
      file,
      rows[0].line,
      null,
      `line ${rows[0].line}: the header has ${header.length} column; a data set needs at least one feature and a target`,
    )
  const blank = header.findIndex((h) => h === '')
  if (blank >= 0)
    throw new DatasetError(
      `${file}:${rows[0].line}: column ${blank + 1} has no name in the header row`,
      file,
      rows[0].line,
      blank + 1,
      `line ${rows[0].line}, column ${blank + 1}: the column has no name in the header row`,
    )
  const dup = header.findIndex((h, i) => header.indexOf(h) !== i)
  if (dup >= 0)
    throw new DatasetError(
      `${file}:${rows[0].line}: column ${dup + 1} repeats the name ${JSON.stringify(header[dup])}`,
      file,
      rows[0].line,
      dup + 1,
      `line ${rows[0].line}, column ${dup + 1}: the column repeats an earlier column's name`,
    )
  if (options.columns && options.columns.join('\u0000') !== header.join('\u0000')) {
    throw new DatasetError(
      `${file}:${rows[0].line}: the columns must match the training file's (${options.columns.join(', ')}), got ${header.join(', ')}`,
      file,
      rows[0].line,
      null,
      `line ${rows[0].line}: the columns must match the training file's`,
    )
  }
  const targetIndex =
    options.target === undefined ? header.length - 1 : header.indexOf(options.target)
  if (targetIndex < 0)
    throw new DatasetError(
      `${file}:${rows[0].line}: no target column ${JSON.stringify(options.target)}; the columns are ${header.join(', ')}`,
      file,
      rows[0].line,
      null,
      `line ${rows[0].line}: no target column ${JSON.stringify(options.target)} in the header row`,
    )

  const n = rows.length - 1
  const cols = header.length - 1
  const features = new Float32Array(n * cols)
  const rawLabels: string[] = new Array(n)
  let missingCells = 0
  for (let r = 0; r < n; r++) {
    const { cells, line } = rows[r + 1]
    if (cells.length !== header.length)
      throw new DatasetError(
        `${file}:${line}: expected ${header.length} columns as in the header, got ${cells.length}`,
        file,
        line,
        null,
        `line ${line} has ${cells.length} fields, the header has ${header.length}`,
      )
    let c = 0
    for (let j = 0; j < cells.length; j++) {
      const cell = cells[j]
      if (j === targetIndex) {
        if (MISSING_TOKENS.has(cell))
          throw new DatasetError(
            `${where(line, j)}: the target is missing (every row needs a class)`,
            file,
            line,
            j + 1,
            `line ${line}, column ${j + 1}: the target is missing (every row needs a class)`,
          )
        rawLabels[r] = canonicalLabel(cell)
        continue
      }
      if (MISSING_TOKENS.has(cell)) {
        features[r * cols + c++] = NaN
        missingCells++
      } else if (NUMBER.test(cell)) {
        const v = Number(cell)
        if (!Number.isFinite(v) || Math.abs(v) > 3.4028234663852886e38)
          throw new DatasetError(
            `${where(line, j)}: ${cell} does not fit a float32 feature`,
            file,
            line,
            j + 1,
            `line ${line}, column ${j + 1}: the number does not fit a float32 feature`,
          )
        features[r * cols + c++] = v
      } else
        throw new DatasetError(
          `${where(line, j)}: non-numeric value ${JSON.stringify(cell)} (features must be numbers; leave a cell empty for a missing value)`,
          file,
          line,
          j + 1,
          `line ${line}, column ${j + 1}: not a number (features must be numbers; leave a cell empty for a missing value)`,
        )
    }
  }

  const classes = options.classes ? [...options.classes] : sortClasses(new Set(rawLabels))
  const index = new Map(classes.map((c, i) => [c, i]))
  const labels = new Int32Array(n)
  for (let r = 0; r < n; r++) {
    const k = index.get(rawLabels[r])
    if (k === undefined) {
      const line = rows[r + 1].line
      throw new DatasetError(
        `${where(line, targetIndex)}: class ${JSON.stringify(rawLabels[r])} is not in the training data (classes: ${classes.join(', ')})`,
        file,
        line,
        targetIndex + 1,
        `line ${line}, column ${targetIndex + 1}: the class is not in the training data`,
      )
    }
    labels[r] = k
  }
  if ((options.requireTwoClasses ?? !options.classes) && classes.length < 2)
    throw new DatasetError(
      `${file}: column ${targetIndex + 1} (${JSON.stringify(header[targetIndex])}): the target has a single class (${JSON.stringify(classes[0])}); classification needs at least 2`,
      file,
      null,
      targetIndex + 1,
      `column ${targetIndex + 1}: the target has a single class; classification needs at least 2`,
    )
  return {
    file,
    header,
    featureNames: header.filter((_, j) => j !== targetIndex),
    target: header[targetIndex],
    rows: n,
    cols,
    features,
    labels,
    classes,
    missingCells,
  }
}
