// Runs in main. A first look at a data set when the user picks it: shape, classes, missing cells,
// and a refusal with the reason for a file the trainers could not use. The trainers check deeper.
import { createReadStream, promises as fs } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { parse } from 'csv-parse'
import type { DatasetRef, DatasetSummary } from '../../shared/studioApi.ts'
import { StudioError } from '../../shared/studioApi.ts'

const MAX_CLASSES_SHOWN = 1000

function invalid(message: string): StudioError {
  return new StudioError('DATASET_INVALID', message)
}

async function fileSize(path: string): Promise<number> {
  try {
    const stat = await fs.stat(path)
    if (!stat.isFile()) throw invalid(`${path} is not a file`)
    return stat.size
  } catch (e) {
    if (e instanceof StudioError) throw e
    throw invalid(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`)
  }
}

const isMissing = (cell: string): boolean => {
  const t = cell.trim()
  return t === '' || t === 'NA' || t === 'NaN' || t === '?'
}

/** Header, row count, missing cells and class counts of a CSV, streamed so big files do not sit in memory. */
export async function checkCsv(path: string, target?: string): Promise<DatasetSummary> {
  const sizeBytes = await fileSize(path)
  if (sizeBytes === 0) throw invalid(`${path} is empty`)
  let header: string[] | null = null
  let targetIndex = -1
  let rows = 0
  let missingCells = 0
  const classes = new Map<string, number>()
  const nonNumeric = new Map<number, { line: number; cell: string }>()
  const parser = createReadStream(path).pipe(
    parse({ relax_column_count: true, skip_empty_lines: true, bom: true, info: true }),
  )
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[]
      info: { lines: number }
    }>) {
      if (!header) {
        header = record.map((h) => h.trim())
        if (header.length < 2)
          throw invalid(
            `${path}: needs a header row and at least 2 columns (features and a target), got ${header.length}`,
          )
        targetIndex = target === undefined ? header.length - 1 : header.indexOf(target)
        if (targetIndex < 0)
          throw invalid(
            `${path}: no column named "${target}" (columns: ${header.slice(0, 20).join(', ')}${header.length > 20 ? ', …' : ''})`,
          )
        continue
      }
      if (record.length !== header.length)
        throw invalid(
          `${path}: line ${info.lines} has ${record.length} fields, the header has ${header.length}`,
        )
      rows++
      record.forEach((cell, i) => {
        if (isMissing(cell)) {
          if (i === targetIndex)
            throw invalid(
              `${path}: line ${info.lines} has no value in the target column "${header![i]}"`,
            )
          missingCells++
        } else if (i !== targetIndex && !nonNumeric.has(i) && !Number.isFinite(Number(cell))) {
          nonNumeric.set(i, { line: info.lines, cell })
        }
      })
      const label = record[targetIndex].trim()
      if (classes.size <= MAX_CLASSES_SHOWN || classes.has(label))
        classes.set(label, (classes.get(label) ?? 0) + 1)
    }
  } catch (e) {
    if (e instanceof StudioError) throw e
    throw invalid(`${path}: not a readable CSV file (${(e as Error).message})`)
  }
  if (!header) throw invalid(`${path} is empty`)
  if (rows === 0) throw invalid(`${path}: has a header but no data rows`)
  if (nonNumeric.size) {
    const [i, at] = [...nonNumeric.entries()][0]
    throw invalid(
      `${path}: feature column "${header[i]}" is not numeric (line ${at.line}: ${JSON.stringify(at.cell)})${nonNumeric.size > 1 ? ` and ${nonNumeric.size - 1} more column(s)` : ''}`,
    )
  }
  const warnings: string[] = []
  if (classes.size < 2) warnings.push(`the target "${header[targetIndex]}" has a single class`)
  if (classes.size > MAX_CLASSES_SHOWN)
    warnings.push(
      `the target "${header[targetIndex]}" has more than ${MAX_CLASSES_SHOWN} distinct values: is it a class label?`,
    )
  const sorted = [...classes.entries()].sort((a, b) =>
    a[0].localeCompare(b[0], undefined, { numeric: true }),
  )
  return {
    kind: 'tabular',
    path,
    sizeBytes,
    rows,
    features: header.length - 1,
    columnNames: header,
    target: header[targetIndex],
    classes: sorted.map(([label, count]) => ({ label, count })),
    missingCells,
    imageShape: null,
    warnings,
  }
}

async function readIdx(path: string): Promise<{ dims: number[]; data: Uint8Array }> {
  await fileSize(path)
  let bytes: Uint8Array = await fs.readFile(path)
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes)
    } catch (e) {
      throw invalid(`${path}: a broken gzip file (${(e as Error).message})`)
    }
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (bytes.length < 8 || view.getUint16(0) !== 0 || bytes[2] !== 0x08)
    throw invalid(`${path}: not an IDX file of unsigned bytes (magic number 0x0000080N expected)`)
  const nDims = bytes[3]
  const dims = Array.from({ length: nDims }, (_, i) => view.getUint32(4 + 4 * i))
  const start = 4 + 4 * nDims
  const expected = dims.reduce((a, b) => a * b, 1)
  if (bytes.length - start !== expected)
    throw invalid(
      `${path}: header says ${dims.join(' × ')} = ${expected} bytes of data, the file has ${bytes.length - start}`,
    )
  return { dims, data: bytes.subarray(start) }
}

/** An IDX image file (n × height × width) and its label file (n). */
export async function checkIdx(imagesPath: string, labelsPath: string): Promise<DatasetSummary> {
  const images = await readIdx(imagesPath)
  const labels = await readIdx(labelsPath)
  if (images.dims.length !== 3)
    throw invalid(
      `${imagesPath}: images need 3 dimensions (count × height × width), got ${images.dims.length}`,
    )
  if (labels.dims.length !== 1)
    throw invalid(`${labelsPath}: labels need 1 dimension, got ${labels.dims.length}`)
  if (images.dims[0] !== labels.dims[0])
    throw invalid(`${images.dims[0]} images but ${labels.dims[0]} labels`)
  const counts = new Map<number, number>()
  for (const l of labels.data) counts.set(l, (counts.get(l) ?? 0) + 1)
  return {
    kind: 'images',
    path: imagesPath,
    sizeBytes: (await fs.stat(imagesPath)).size + (await fs.stat(labelsPath)).size,
    rows: images.dims[0],
    features: images.dims[1] * images.dims[2],
    columnNames: [],
    target: null,
    classes: [...counts.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([label, count]) => ({ label: String(label), count })),
    missingCells: 0,
    imageShape: [images.dims[1], images.dims[2]],
    warnings: counts.size < 2 ? ['the labels hold a single class'] : [],
  }
}

export function checkDataset(ref: DatasetRef): Promise<DatasetSummary> {
  return ref.kind === 'tabular' ? checkCsv(ref.path, ref.target) : checkIdx(ref.images, ref.labels)
}
