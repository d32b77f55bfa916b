// Runs in the CLI: the rows of an `import` file (CSV with one column per parameter and "value", or JSON),
// read against the study's space. Every error in the file is collected; a file with any is refused whole.
import { parse as parseCsv } from 'csv-parse/sync'
import type { Config, ParamSpec, SearchSpace } from '../../shared/searchSpace.ts'
import { validateConfig } from '../../shared/spaceCodec.ts'
import { formatValue } from '../../shared/specError.ts'

export interface ImportRow {
  params: Config
  value: number
}

export type ImportResult = { ok: true; rows: ImportRow[] } | { ok: false; errors: string[] }

const BOM = '\ufeff'

/** A CSV cell as the parameter's type: a choice whose text matches (so "1" stays the string "1"), a number, a boolean. */
function cellValue(p: ParamSpec, text: string): unknown {
  if (p.type === 'categorical') {
    return (
      p.choices.find((c) => typeof c === 'string' && c === text) ??
      p.choices.find((c) => String(c) === text) ??
      text
    )
  }
  if (p.type === 'bool') return /^true$/i.test(text) ? true : /^false$/i.test(text) ? false : text
  const n = Number(text)
  return Number.isFinite(n) ? n : text
}

function checkRow(
  space: SearchSpace,
  where: string,
  params: unknown,
  value: unknown,
  errors: string[],
): ImportRow | null {
  const before = errors.length
  if (typeof value !== 'number' || !Number.isFinite(value))
    errors.push(`${where}: value must be a finite number, got ${formatValue(value)}`)
  if (typeof params !== 'object' || params === null || Array.isArray(params))
    errors.push(
      `${where}: params must be an object of parameter values, got ${formatValue(params)}`,
    )
  else
    for (const e of validateConfig(space, params as Record<string, unknown>))
      errors.push(`${where}: ${e.message}`)
  return errors.length > before ? null : { params: params as Config, value: value as number }
}

function csvRows(file: string, text: string, space: SearchSpace): ImportResult {
  let records: { record: string[]; info: { lines: number } }[]
  try {
    records = parseCsv(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as typeof records
  } catch (e) {
    return { ok: false, errors: [`${file}: not a readable CSV file: ${(e as Error).message}`] }
  }
  if (!records.length) return { ok: false, errors: [`${file}: the file is empty`] }
  const header = records[0].record
  const valueAt = header.indexOf('value')
  if (valueAt < 0)
    return {
      ok: false,
      errors: [`${file}: the header has no "value" column (columns: ${header.join(', ')})`],
    }
  const errors: string[] = []
  const rows: ImportRow[] = []
  for (const { record, info } of records.slice(1)) {
    const where = `${file} line ${info.lines}`
    if (record.length !== header.length) {
      errors.push(`${where}: ${record.length} fields, the header has ${header.length}`)
      continue
    }
    const params: Record<string, unknown> = {}
    for (const p of space.params) {
      const i = header.indexOf(p.name)
      if (i >= 0 && record[i] !== '') params[p.name] = cellValue(p, record[i])
    }
    const text = record[valueAt]
    const value = text !== '' && Number.isFinite(Number(text)) ? Number(text) : text
    const row = checkRow(space, where, params, value, errors)
    if (row) rows.push(row)
  }
  return errors.length ? { ok: false, errors } : { ok: true, rows }
}

function jsonRows(file: string, text: string, space: SearchSpace): ImportResult {
  let data: unknown
  try {
    data = JSON.parse(text.startsWith(BOM) ? text.slice(1) : text)
  } catch (e) {
    return { ok: false, errors: [`${file} is not valid JSON: ${(e as Error).message}`] }
  }
  const list = Array.isArray(data) ? data : (data as { trials?: unknown } | null)?.trials
  if (!Array.isArray(list))
    return {
      ok: false,
      errors: [
        `${file}: expected a list of { "params": {...}, "value": number } (or { "trials": [...] })`,
      ],
    }
  const errors: string[] = []
  const rows: ImportRow[] = []
  list.forEach((r: unknown, i) => {
    const where = `${file} row ${i + 1}`
    if (typeof r !== 'object' || r === null || Array.isArray(r)) {
      errors.push(
        `${where}: expected an object like { "params": {…}, "value": number }, got ${formatValue(r)}`,
      )
      return
    }
    const row = checkRow(
      space,
      where,
      (r as { params?: unknown }).params,
      (r as { value?: unknown }).value,
      errors,
    )
    if (row) rows.push(row)
  })
  return errors.length ? { ok: false, errors } : { ok: true, rows }
}

export function readImportRows(file: string, text: string, space: SearchSpace): ImportResult {
  return file.toLowerCase().endsWith('.csv')
    ? csvRows(file, text, space)
    : jsonRows(file, text, space)
}
