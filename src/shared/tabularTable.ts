// A tabular benchmark table (objective kind `tabular`): every configuration of a discrete space
// evaluated beforehand, so a trial is a lookup. Two forms (study-file.md): JSON
// `{name, direction, order, space, table: {id: value}}`, gzipped or plain, where `id` is each
// parameter's choice index in `order`, one digit each; or CSV with one column per parameter, then
// `value`. Parsing is pure; main and the trial worker read the file's bytes and lend the decoders
// (shared code imports no packages).
import type { CategoricalParam, Config, ParamValue, SearchSpace } from './searchSpace.ts'
import { formatValue, specError, type Parsed, type SpecError } from './specError.ts'
import type { Direction } from './study.ts'

export interface TabularTable {
  file: string
  name: string
  /** The table's own direction (JSON form); null for a CSV, whose direction is the study's. */
  direction: Direction | null
  /** One ordered choice list per parameter, in the table's order: numbers keep their order, strings are categorical. */
  space: SearchSpace
  /** Value of each configuration, at the mixed-radix index of its choice indices. */
  values: Float64Array
}

/** node:zlib's gunzipSync and csv-parse's parse, lent by the process that reads the file. */
export interface TableDecoders {
  gunzip: (bytes: Uint8Array) => Uint8Array
  parseCsv: (text: string, options: typeof CSV_OPTIONS) => unknown
}
const CSV_OPTIONS = { skip_empty_lines: true, trim: true, bom: true }

const GZIP_MAGIC = [0x1f, 0x8b]
const MAX_JSON_CHOICES = 10

/** Decodes a table file's bytes: gzip (by its magic bytes), then JSON (starts with `{`) or CSV. */
export function parseTabularBytes(
  bytes: Uint8Array,
  file: string,
  decoders: TableDecoders,
): Parsed<TabularTable> {
  let text: string
  try {
    const raw =
      bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1] ? decoders.gunzip(bytes) : bytes
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw)
  } catch (e) {
    return fail(file, 'readable', file, `cannot decode ${file}: ${(e as Error).message}`)
  }
  if (text.trimStart().startsWith('{')) {
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch (e) {
      return fail(file, 'json', file, `${file} is not valid JSON: ${(e as Error).message}`)
    }
    return parseTabularJson(raw, file)
  }
  return parseTabularCsv(text, file, decoders.parseCsv)
}

function fail(file: string, rule: string, value: unknown, detail: string): Parsed<TabularTable> {
  return { ok: false, errors: [specError('objective.table', rule, value, detail)] }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** A parameter of the derived space: numbers ordered, anything else categorical. */
function tableParam(name: string, choices: ParamValue[]): CategoricalParam {
  const p: CategoricalParam = { name, type: 'categorical', choices }
  if (choices.every((c) => typeof c === 'number')) p.ordered = true
  return p
}

function checkChoices(
  file: string,
  name: string,
  choices: unknown,
  maxChoices: number,
): SpecError | null {
  const at = `${file}: space.${name}`
  if (!Array.isArray(choices) || choices.length < 1)
    return specError(
      'objective.table',
      'table-space',
      choices,
      `${at} must be a list of choices, got ${formatValue(choices)}`,
    )
  if (choices.length > maxChoices)
    return specError(
      'objective.table',
      'table-space',
      choices.length,
      `${at} has ${choices.length} choices; an id has one digit per parameter, so at most ${maxChoices}`,
    )
  const bad = choices.find(
    (c, i) =>
      !(typeof c === 'string' || (typeof c === 'number' && Number.isFinite(c))) ||
      choices.indexOf(c) !== i,
  )
  if (bad !== undefined)
    return specError(
      'objective.table',
      'table-space',
      bad,
      `${at}: choices are distinct strings or finite numbers, got ${formatValue(bad)}`,
    )
  return null
}

/** Strides of the mixed-radix index over the parameters' choice counts (last parameter fastest). */
function strides(space: SearchSpace): number[] {
  const sizes = space.params.map((p) => (p as CategoricalParam).choices.length)
  const out = new Array<number>(sizes.length)
  let stride = 1
  for (let i = sizes.length - 1; i >= 0; i--) {
    out[i] = stride
    stride *= sizes[i]
  }
  return out
}

const tableSize = (space: SearchSpace): number =>
  space.params.reduce((n, p) => n * (p as CategoricalParam).choices.length, 1)

/** The JSON form, already decoded. */
export function parseTabularJson(raw: unknown, file: string): Parsed<TabularTable> {
  if (!isRecord(raw))
    return fail(
      file,
      'table-format',
      raw,
      `${file} must hold a JSON object, got ${formatValue(raw)}`,
    )
  const { name, direction, order, space, table } = raw
  if (direction !== 'minimize' && direction !== 'maximize')
    return fail(
      file,
      'table-format',
      direction,
      `${file}: direction must be minimize or maximize, got ${formatValue(direction)}`,
    )
  if (!Array.isArray(order) || order.length === 0 || !order.every((n) => typeof n === 'string'))
    return fail(
      file,
      'table-format',
      order,
      `${file}: order must be a non-empty list of parameter names, got ${formatValue(order)}`,
    )
  if (!isRecord(space) || !isRecord(table))
    return fail(
      file,
      'table-format',
      Object.keys(raw),
      `${file} needs "space" (parameter → choices) and "table" (id → value) objects`,
    )
  const missing = order.find((n) => !(n in space))
  if (missing !== undefined)
    return fail(
      file,
      'table-space',
      missing,
      `${file}: order names "${missing}", space has no such parameter`,
    )
  for (const n of order) {
    const error = checkChoices(file, n, space[n], MAX_JSON_CHOICES)
    if (error) return { ok: false, errors: [error] }
  }
  const derived: SearchSpace = {
    params: order.map((n) => tableParam(n, space[n] as ParamValue[])),
  }
  const values = new Float64Array(tableSize(derived)).fill(NaN)
  const stride = strides(derived)
  for (const [id, value] of Object.entries(table)) {
    let index = 0
    for (let i = 0; i < id.length && i < order.length; i++) {
      const digit = id.charCodeAt(i) - 48
      const size = (derived.params[i] as CategoricalParam).choices.length
      if (!(digit >= 0 && digit < size)) {
        index = -1
        break
      }
      index += digit * stride[i]
    }
    if (id.length !== order.length || index < 0)
      return fail(
        file,
        'table-id',
        id,
        `${file}: id "${id}" is not one choice index per parameter of ${order.join(', ')} (${order.length} digits, each below its parameter's number of choices)`,
      )
    if (typeof value !== 'number' || !Number.isFinite(value))
      return fail(
        file,
        'table-value',
        value,
        `${file}: the value of id "${id}" must be a finite number, got ${formatValue(value)}`,
      )
    values[index] = value
  }
  const hole = values.findIndex((v) => Number.isNaN(v))
  if (hole >= 0) {
    const digits = indexChoices(derived, hole)
      .map((c) => String(c.index))
      .join('')
    return fail(
      file,
      'table-complete',
      digits,
      `${file}: id "${digits}" (${describe(derived, hole)}) has no row; the table must hold every configuration of its space (${values.length})`,
    )
  }
  return {
    ok: true,
    value: {
      file,
      name: typeof name === 'string' ? name : file,
      direction,
      space: derived,
      values,
    },
  }
}

function indexChoices(space: SearchSpace, index: number): { index: number; value: ParamValue }[] {
  const stride = strides(space)
  return space.params.map((p, i) => {
    const k = Math.floor(index / stride[i]) % (p as CategoricalParam).choices.length
    return { index: k, value: (p as CategoricalParam).choices[k] }
  })
}

const describe = (space: SearchSpace, index: number): string =>
  indexChoices(space, index)
    .map((c, i) => `${space.params[i].name}=${formatValue(c.value)}`)
    .join(', ')

const asChoice = (cell: string): ParamValue => {
  const n = Number(cell)
  return cell.trim() !== '' && Number.isFinite(n) ? n : cell
}

/** The CSV form: a header of parameter names then `value`; one row per configuration. */
export function parseTabularCsv(
  text: string,
  file: string,
  parseCsv: TableDecoders['parseCsv'],
): Parsed<TabularTable> {
  let rows: string[][]
  try {
    rows = parseCsv(text, CSV_OPTIONS) as string[][]
  } catch (e) {
    return fail(file, 'csv', file, `${file} is not valid CSV: ${(e as Error).message}`)
  }
  const header = rows[0] ?? []
  if (header.length < 2 || header[header.length - 1] !== 'value')
    return fail(
      file,
      'table-format',
      header,
      `${file}: the header must name the parameters, then "value", got ${formatValue(header)}`,
    )
  const names = header.slice(0, -1)
  const body = rows.slice(1)
  const seen = names.map(() => new Map<string, ParamValue>())
  const key = (cell: string): string => String(asChoice(cell))
  for (const row of body)
    row.slice(0, -1).forEach((cell, i) => seen[i]?.set(key(cell), asChoice(cell)))
  const derived: SearchSpace = {
    params: names.map((n, i) => {
      const choices = [...seen[i].values()]
      const numeric = choices.every((c) => typeof c === 'number')
      return tableParam(
        n,
        numeric ? (choices as number[]).sort((a, b) => a - b) : choices.map(String),
      )
    }),
  }
  const values = new Float64Array(tableSize(derived)).fill(NaN)
  const stride = strides(derived)
  const position = derived.params.map(
    (p) => new Map((p as CategoricalParam).choices.map((c, k) => [String(c), k])),
  )
  for (let r = 0; r < body.length; r++) {
    const row = body[r]
    const line = r + 2
    if (row.length !== header.length)
      return fail(
        file,
        'csv',
        row,
        `${file}: line ${line} has ${row.length} fields, the header has ${header.length}`,
      )
    const value = Number(row[row.length - 1])
    if (row[row.length - 1] === '' || !Number.isFinite(value))
      return fail(
        file,
        'table-value',
        row[row.length - 1],
        `${file}: line ${line}: value must be a finite number, got ${formatValue(row[row.length - 1])}`,
      )
    let index = 0
    names.forEach((_, i) => (index += (position[i].get(key(row[i])) as number) * stride[i]))
    if (!Number.isNaN(values[index]))
      return fail(
        file,
        'table-duplicate',
        row,
        `${file}: line ${line} repeats the configuration ${describe(derived, index)}`,
      )
    values[index] = value
  }
  const hole = values.findIndex((v) => Number.isNaN(v))
  if (hole >= 0)
    return fail(
      file,
      'table-complete',
      describe(derived, hole),
      `${file}: no row for ${describe(derived, hole)}; the table must hold every combination of its columns' values (${values.length})`,
    )
  return { ok: true, value: { file, name: file, direction: null, space: derived, values } }
}

/** The value of a configuration of the table's space; a configuration outside it is an error. */
export function tableValue(table: TabularTable, config: Readonly<Config>): number {
  const stride = strides(table.space)
  let index = 0
  table.space.params.forEach((p, i) => {
    const k = (p as CategoricalParam).choices.indexOf(config[p.name])
    if (k < 0)
      throw new Error(
        `${table.file}: ${p.name}=${formatValue(config[p.name])} is not one of the table's choices (${(p as CategoricalParam).choices.map((c) => formatValue(c)).join(', ')})`,
      )
    index += k * stride[i]
  })
  return table.values[index]
}

/** The best value of the table in a direction. */
export function tableBest(table: TabularTable, direction: Direction): number {
  let best = direction === 'minimize' ? Infinity : -Infinity
  for (const v of table.values)
    best = direction === 'minimize' ? Math.min(best, v) : Math.max(best, v)
  return best
}

/**
 * A study file's own space checked against the table's: the same parameters, each a categorical
 * with the table's choices (in any order; the file's order and `ordered` flag are kept).
 */
export function tableSpaceErrors(table: TabularTable, space: SearchSpace): SpecError[] {
  const errors: SpecError[] = []
  const mine = new Map(table.space.params.map((p) => [p.name, p as CategoricalParam]))
  for (const p of space.params) {
    const t = mine.get(p.name)
    const at = `space.${p.name}`
    if (!t) {
      errors.push(
        specError(
          at,
          'table-space',
          p.name,
          `${table.file} has no parameter "${p.name}" (it has ${[...mine.keys()].join(', ')})`,
        ),
      )
      continue
    }
    const expected = t.choices.map((c) => formatValue(c)).join(', ')
    const same =
      p.type === 'categorical' &&
      p.choices.length === t.choices.length &&
      p.choices.every((c) => t.choices.includes(c))
    if (!same)
      errors.push(
        specError(
          at,
          'table-space',
          p.type === 'categorical' ? p.choices : p.type,
          `must be a categorical with the table's choices [${expected}] (${table.file}), got ${p.type === 'categorical' ? `[${p.choices.map((c) => formatValue(c)).join(', ')}]` : `a ${p.type} parameter`}`,
        ),
      )
    if (p.when)
      errors.push(
        specError(
          `${at}.when`,
          'table-space',
          p.when,
          'a tabular objective has no conditional parameters',
        ),
      )
  }
  const given = new Set(space.params.map((p) => p.name))
  const missing = [...mine.keys()].filter((name) => !given.has(name))
  if (missing.length)
    errors.push(
      specError(
        'space',
        'table-space',
        missing,
        `misses the table's parameter${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (${table.file} needs a value for each of ${[...mine.keys()].join(', ')})`,
      ),
    )
  return errors
}
