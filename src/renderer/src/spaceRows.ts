// Runs in the renderer. The search-space editor's rows ⇄ the study-file form of a space, and which
// row field an engine SpecError points at. Values stay as typed, so the engine reports what is wrong.
import type { SpecError } from '../../shared/specError.ts'

export type RowType = 'float' | 'int' | 'categorical' | 'bool'
export const ROW_TYPES: RowType[] = ['float', 'int', 'categorical', 'bool']

export interface SpaceRow {
  key: number
  name: string
  type: RowType
  low: string
  high: string
  log: boolean
  step: string
  /** Comma-separated. */
  choices: string
  whenParent: string
  /** Comma-separated values of the parent that make this parameter active. */
  whenValues: string
}

export type RowField = 'name' | 'type' | 'low' | 'high' | 'log' | 'step' | 'choices' | 'when'

let nextKey = 1
export function emptyRow(name = ''): SpaceRow {
  return {
    key: nextKey++,
    name,
    type: 'float',
    low: '0',
    high: '1',
    log: false,
    step: '',
    choices: '',
    whenParent: '',
    whenValues: '',
  }
}

/** "true" → true, "3" → 3, "dart" → "dart". */
export function parseToken(token: string): string | number | boolean {
  const t = token.trim()
  if (t === 'true') return true
  if (t === 'false') return false
  if (t !== '' && Number.isFinite(Number(t))) return Number(t)
  return t
}

const splitList = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '')

/** '' → absent, "0.1" → 0.1, "abc" → "abc" (the engine then says it is not a number). */
function numberField(s: string): number | string | undefined {
  const t = s.trim()
  if (t === '') return undefined
  const n = Number(t)
  return Number.isFinite(n) ? n : t
}

export function rowToDef(row: SpaceRow): Record<string, unknown> {
  const def: Record<string, unknown> = { type: row.type }
  if (row.type === 'float' || row.type === 'int') {
    def.low = numberField(row.low)
    def.high = numberField(row.high)
    if (row.log) def.log = true
    const step = numberField(row.step)
    if (step !== undefined) def.step = step
  } else if (row.type === 'categorical') {
    def.choices = splitList(row.choices).map(parseToken)
  }
  if (row.whenParent) {
    const values = splitList(row.whenValues).map(parseToken)
    def.when = { [row.whenParent]: values.length === 1 ? values[0] : values }
  }
  for (const k of Object.keys(def)) if (def[k] === undefined) delete def[k]
  return def
}

export function rowsToRaw(rows: readonly SpaceRow[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {}
  for (const row of rows) out[row.name] = rowToDef(row)
  return out
}

const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v))

export function rawToRows(raw: unknown): SpaceRow[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return []
  return Object.entries(raw as Record<string, unknown>).map(([name, d]) => {
    const row = emptyRow(name)
    const def = (typeof d === 'object' && d !== null ? d : {}) as Record<string, unknown>
    row.type = ROW_TYPES.includes(def.type as RowType) ? (def.type as RowType) : 'float'
    row.low = text(def.low)
    row.high = text(def.high)
    row.log = def.log === true
    row.step = text(def.step)
    row.choices = Array.isArray(def.choices) ? def.choices.map(String).join(', ') : ''
    const when = def.when as Record<string, unknown> | undefined
    if (when && typeof when === 'object') {
      const [parent, values] = Object.entries(when)[0] ?? ['', '']
      row.whenParent = parent
      row.whenValues = Array.isArray(values) ? values.map(String).join(', ') : text(values)
    }
    return row
  })
}

/** Names used by more than one row: the file form cannot hold both, so the editor says so itself. */
export function duplicateNames(rows: readonly SpaceRow[]): SpecError[] {
  const seen = new Set<string>()
  const out: SpecError[] = []
  for (const r of rows) {
    if (seen.has(r.name))
      out.push({
        path: `space.${r.name}`,
        rule: 'duplicate-name',
        value: r.name,
        message: `space.${r.name}: the name "${r.name}" is used by another parameter`,
      })
    seen.add(r.name)
  }
  return out
}

/** Parameters a fixed owner (a synthetic function) needs and no row has. */
export function missingNames(
  rows: readonly SpaceRow[],
  fixed: { owner: string; names: readonly string[] } | null | undefined,
): SpecError[] {
  if (!fixed) return []
  const have = new Set(rows.map((r) => r.name))
  return fixed.names
    .filter((n) => !have.has(n))
    .map((n) => ({
      path: 'space',
      rule: 'fixed-name',
      value: n,
      message: `space: ${fixed.owner} needs its parameter ${n} (its parameters are ${fixed.names.join(', ')}); add it back`,
    }))
}

const RULE_FIELDS: Record<string, RowField[]> = {
  'low-le-high': ['low', 'high'],
  'positive-when-log': ['low', 'log'],
  'log-xor-step': ['log', 'step'],
  'duplicate-name': ['name'],
  name: ['name'],
  'min-choices': ['choices'],
}

/** The errors of one row, and the fields each marks. */
export function rowErrors(
  errors: readonly SpecError[],
  name: string,
): { error: SpecError; fields: RowField[] }[] {
  const at = `space.${name}`
  return errors
    .filter((e) => e.path === at || e.path.startsWith(`${at}.`) || e.path.startsWith(`${at}[`))
    .map((error) => {
      const rest = error.path.slice(at.length).replace(/^\./, '')
      const head = rest.split(/[.[]/)[0]
      let fields: RowField[]
      if (!rest) fields = RULE_FIELDS[error.rule] ?? ['name']
      else if (head === 'when') fields = ['when']
      else if (['low', 'high', 'log', 'step', 'type', 'choices'].includes(head))
        fields = [head as RowField]
      else fields = ['name']
      return { error, fields }
    })
}
