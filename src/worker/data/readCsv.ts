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
  const rows = parseRows(file, readText(file))
  const header = checkHeader(file, rows, options.columns)
  const targetIndex = findTarget(file, header, rows[0].line, options.target)
  const { features, rawLabels, missingCells } = readCells(file, rows, header, targetIndex)
  const classes = options.classes ? [...options.classes] : sortClasses(new Set(rawLabels))
  const labels = indexLabels(file, rows, header, targetIndex, rawLabels, classes)
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
    rows: rawLabels.length,
    cols: header.length - 1,
    features,
    labels,
    classes,
    missingCells,
  }
}

function readText(file: string): string {
  try {
    return readDataFile(file, MAX_CSV_BYTES).toString('utf8')
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
}

/** The header row, once the file has data rows and every column a distinct name (and the expected ones). */
function checkHeader(file: string, rows: Row[], columns?: readonly string[]): string[] {
  if (rows.length === 0)
    throw new DatasetError(
      `${file}: the file is empty (expected a header row and data rows)`,
      file,
      null,
      null,
      'the file is empty (expected a header row and data rows)',
    )
  const header = rows[0].cells
  const line = rows[0].line
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
      `${file}:${line}: the header has ${header.length} column; a data set needs at least one feature and a target`,
      file,
      line,
      null,
      `line ${line}: the header has ${header.length} column; a data set needs at least one feature and a target`,
    )
  checkColumnNames(file, header, line)
  if (columns && columns.join('\u0000') !== header.join('\u0000')) {
    throw new DatasetError(
      `${file}:${line}: the columns must match the training file's (${columns.join(', ')}), got ${header.join(', ')}`,
      file,
      line,
      null,
      `line ${line}: the columns must match the training file's`,
    )
  }
  return header
}

function checkColumnNames(file: string, header: string[], line: number): void {
  const blank = header.findIndex((h) => h === '')
  if (blank >= 0)
    throw new DatasetError(
      `${file}:${line}: column ${blank + 1} has no name in the header row`,
      file,
      line,
      blank + 1,
      `line ${line}, column ${blank + 1}: the column has no name in the header row`,
    )
  const dup = header.findIndex((h, i) => header.indexOf(h) !== i)
  if (dup >= 0)
    throw new DatasetError(
      `${file}:${line}: column ${dup + 1} repeats the name ${JSON.stringify(header[dup])}`,
      file,
      line,
      dup + 1,
      `line ${line}, column ${dup + 1}: the column repeats an earlier column's name`,
    )
}

function findTarget(
  file: string,
  header: string[],
  line: number,
  target: string | undefined,
): number {
  const targetIndex = target === undefined ? header.length - 1 : header.indexOf(target)
  if (targetIndex < 0)
    throw new DatasetError(
      `${file}:${line}: no target column ${JSON.stringify(target)}; the columns are ${header.join(', ')}`,
      file,
      line,
      null,
      `line ${line}: no target column ${JSON.stringify(target)} in the header row`,
    )
  return targetIndex
}

function where(file: string, header: string[], line: number, col: number): string {
  return `${file}:${line}: column ${col + 1} (${JSON.stringify(header[col] ?? '')})`
}

/** The data rows: features row-major (the target column left out) and each row's label text. */
function readCells(
  file: string,
  rows: Row[],
  header: string[],
  targetIndex: number,
): { features: Float32Array; rawLabels: string[]; missingCells: number } {
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
        rawLabels[r] = readLabel(file, header, line, j, cell)
      } else if (MISSING_TOKENS.has(cell)) {
        features[r * cols + c++] = NaN
        missingCells++
      } else {
        features[r * cols + c++] = readFeature(file, header, line, j, cell)
      }
    }
  }
  return { features, rawLabels, missingCells }
}

function readLabel(file: string, header: string[], line: number, j: number, cell: string): string {
  if (MISSING_TOKENS.has(cell))
    throw new DatasetError(
      `${where(file, header, line, j)}: the target is missing (every row needs a class)`,
      file,
      line,
      j + 1,
      `line ${line}, column ${j + 1}: the target is missing (every row needs a class)`,
    )
  return canonicalLabel(cell)
}

function readFeature(
  file: string,
  header: string[],
  line: number,
  j: number,
  cell: string,
): number {
  if (!NUMBER.test(cell))
    throw new DatasetError(
      `${where(file, header, line, j)}: non-numeric value ${JSON.stringify(cell)} (features must be numbers; leave a cell empty for a missing value)`,
      file,
      line,
      j + 1,
      `line ${line}, column ${j + 1}: not a number (features must be numbers; leave a cell empty for a missing value)`,
    )
  const v = Number(cell)
  if (!Number.isFinite(v) || Math.abs(v) > 3.4028234663852886e38)
    throw new DatasetError(
      `${where(file, header, line, j)}: ${cell} does not fit a float32 feature`,
      file,
      line,
      j + 1,
      `line ${line}, column ${j + 1}: the number does not fit a float32 feature`,
    )
  return v
}

/** Each row's class index in `classes`; a label outside them is an error. */
function indexLabels(
  file: string,
  rows: Row[],
  header: string[],
  targetIndex: number,
  rawLabels: string[],
  classes: string[],
): Int32Array {
  const index = new Map(classes.map((c, i) => [c, i]))
  const labels = new Int32Array(rawLabels.length)
  for (let r = 0; r < rawLabels.length; r++) {
    const k = index.get(rawLabels[r])
    if (k === undefined) {
      const line = rows[r + 1].line
      throw new DatasetError(
        `${where(file, header, line, targetIndex)}: class ${JSON.stringify(rawLabels[r])} is not in the training data (classes: ${classes.join(', ')})`,
        file,
        line,
        targetIndex + 1,
        `line ${line}, column ${targetIndex + 1}: the class is not in the training data`,
      )
    }
    labels[r] = k
  }
  return labels
}
