// Runs in main: an Optuna study as its storages hold it (RDB SQLite file or JournalStorage log), read into
// one plain shape, and the errors an import can end with. Distributions are Optuna's JSON
// (`distribution_to_json`), the 3.x names and the 2.x ones `json_to_distribution` still reads.
import type { Json } from '../../shared/trial.ts'

export type OptunaState = 'RUNNING' | 'COMPLETE' | 'PRUNED' | 'FAIL' | 'WAITING'
/** Optuna's TrialState values, as the journal writes them. */
export const OPTUNA_STATES: readonly OptunaState[] = [
  'RUNNING',
  'COMPLETE',
  'PRUNED',
  'FAIL',
  'WAITING',
]

export type OptunaDistribution =
  | { kind: 'float'; low: number; high: number; log: boolean; step: number | null }
  | { kind: 'int'; low: number; high: number; log: boolean; step: number }
  | { kind: 'categorical'; choices: Json[] }

export interface OptunaTrial {
  number: number
  state: OptunaState
  /** External values (a categorical's choice, not its index), in the order they were sampled. */
  params: Record<string, Json>
  distributions: Record<string, OptunaDistribution>
  /** One per objective; null when the trial has none. ±Infinity kept. */
  values: number[] | null
  intermediate: { step: number; value: number | null }[]
  userAttrs: Record<string, Json>
  systemAttrs: Record<string, Json>
  /** ISO-8601 UTC (Optuna writes naive local times; they are read as this machine's local time). */
  datetimeStart: string | null
  datetimeComplete: string | null
}

export interface OptunaStudy {
  name: string
  directions: ('minimize' | 'maximize')[]
  userAttrs: Record<string, Json>
  trials: OptunaTrial[]
}

export interface OptunaFile {
  path: string
  format: 'rdb' | 'journal'
  /** The alembic revision of an RDB file ("v3.0.0.d"), "journal" for a journal file. */
  schema: string
  /** The Optuna that created an RDB file ("3.1.0"), when it says. */
  libraryVersion: string | null
  studies: OptunaStudy[]
}

export type OptunaImportErrorCode =
  'NOT_OPTUNA' | 'SCHEMA_UNSUPPORTED' | 'UNMAPPABLE' | 'STUDY_NOT_FOUND' | 'NAME_TAKEN'

export class OptunaImportError extends Error {
  constructor(
    readonly code: OptunaImportErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'OptunaImportError'
  }
}

const num = (attrs: Record<string, unknown>, key: string, what: string): number => {
  const v = attrs[key]
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new Error(`${what}: "${key}" must be a finite number, got ${JSON.stringify(v)}`)
  return v
}

/** Parses `distribution_to_json` text (or the object it encodes). Throws naming what it cannot read. */
export function parseOptunaDistribution(json: string | object): OptunaDistribution {
  const d = (typeof json === 'string' ? JSON.parse(json) : json) as {
    name?: unknown
    attributes?: Record<string, unknown>
  }
  const name = String(d?.name)
  const a = d?.attributes ?? {}
  const step = a.step === null || a.step === undefined ? null : num(a, 'step', name)
  switch (name) {
    case 'FloatDistribution':
      return {
        kind: 'float',
        low: num(a, 'low', name),
        high: num(a, 'high', name),
        log: a.log === true,
        step,
      }
    case 'IntDistribution':
      return {
        kind: 'int',
        low: num(a, 'low', name),
        high: num(a, 'high', name),
        log: a.log === true,
        step: step ?? 1,
      }
    case 'CategoricalDistribution':
      if (!Array.isArray(a.choices)) throw new Error(`${name}: "choices" must be a list`)
      return { kind: 'categorical', choices: a.choices as Json[] }
    case 'UniformDistribution':
      return {
        kind: 'float',
        low: num(a, 'low', name),
        high: num(a, 'high', name),
        log: false,
        step: null,
      }
    case 'LogUniformDistribution':
      return {
        kind: 'float',
        low: num(a, 'low', name),
        high: num(a, 'high', name),
        log: true,
        step: null,
      }
    case 'DiscreteUniformDistribution':
      return {
        kind: 'float',
        low: num(a, 'low', name),
        high: num(a, 'high', name),
        log: false,
        step: num(a, 'q', name),
      }
    case 'IntUniformDistribution':
      return {
        kind: 'int',
        low: num(a, 'low', name),
        high: num(a, 'high', name),
        log: false,
        step: step ?? 1,
      }
    case 'IntLogUniformDistribution':
      return {
        kind: 'int',
        low: num(a, 'low', name),
        high: num(a, 'high', name),
        log: true,
        step: 1,
      }
    default:
      throw new Error(`unknown Optuna distribution ${JSON.stringify(d?.name)}`)
  }
}

/** Optuna's `to_external_repr`: a categorical's index becomes its choice, an int's float an integer. */
export function toExternalValue(d: OptunaDistribution, internal: number): Json {
  if (d.kind === 'categorical') {
    const i = Math.round(internal)
    if (!(i >= 0 && i < d.choices.length))
      throw new Error(`choice index ${internal} is outside the ${d.choices.length} choices`)
    return d.choices[i]
  }
  return d.kind === 'int' ? Math.round(internal) : internal
}

/** A distribution as people read it in a message: FloatDistribution(low=0, high=1, log=true). */
export function describeDistribution(d: OptunaDistribution): string {
  if (d.kind === 'categorical')
    return `CategoricalDistribution(choices=${JSON.stringify(d.choices)})`
  const name = d.kind === 'float' ? 'FloatDistribution' : 'IntDistribution'
  return `${name}(low=${d.low}, high=${d.high}, log=${d.log}, step=${d.step})`
}

/**
 * An Optuna datetime as ISO-8601 UTC. Optuna writes naive local times ("2024-05-01 12:00:00.123456" in
 * SQLite, isoformat() in a journal); JavaScript reads a date-time without an offset as local time too.
 */
export function optunaDateTime(text: string | null | undefined): string | null {
  if (!text) return null
  const m = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:?\d\d)?$/.exec(text.trim())
  if (!m) return null
  const fraction = m[3] ? m[3].slice(0, 4).padEnd(4, '0') : ''
  const date = new Date(`${m[1]}T${m[2]}${fraction}${m[4] ?? ''}`)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}
