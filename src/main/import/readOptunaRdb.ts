// Runs in main: reads Optuna's RDB storage from a SQLite file, read-only and without Optuna. Only schema
// revisions whose tables are known are read: v3.0.0.d (Optuna 3.0 and 3.1) and v3.2.0.a (Optuna 3.2 and
// later: it adds one index on trials.study_id and changes no table this reads).
import Database from 'better-sqlite3'
import path from 'node:path'
import type { Json } from '../../shared/trial.ts'
import {
  OptunaImportError,
  optunaDateTime,
  parseOptunaDistribution,
  toExternalValue,
  type OptunaDistribution,
  type OptunaFile,
  type OptunaState,
  type OptunaStudy,
  type OptunaTrial,
} from './optunaStudy.ts'

export const READABLE_SCHEMAS: Record<string, string> = {
  'v3.0.0.d': 'Optuna 3.0 and 3.1',
  'v3.2.0.a': 'Optuna 3.2 and later',
}
/** Revisions of Optuna before 3.0, in order: `optuna storage upgrade` brings such a file to 3.x. */
const OLDER_SCHEMAS = [
  'v0.9.0.a',
  'v1.2.0.a',
  'v1.3.0.a',
  'v2.0.0.a',
  'v2.3.0.a',
  'v2.4.0.a',
  'v2.6.0.a',
  'v3.0.0.a',
  'v3.0.0.b',
  'v3.0.0.c',
]

type Row = Record<string, unknown>

function checkSchema(
  db: Database.Database,
  file: string,
): { schema: string; library: string | null } {
  const tables = new Set(
    (
      db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]
    ).map((r) => r.name),
  )
  if (!tables.has('alembic_version') || !tables.has('trials') || !tables.has('trial_params')) {
    const hint = tables.has('tuner_states') ? ' (it is an HPO Studio database)' : ''
    throw new OptunaImportError(
      'NOT_OPTUNA',
      `${path.basename(file)} is a SQLite database but not an Optuna storage${hint}: it has no alembic_version, trials and trial_params tables (tables: ${[...tables].sort().join(', ') || 'none'})`,
    )
  }
  const version = (db.prepare('SELECT version_num FROM alembic_version').get() as Row | undefined)
    ?.version_num
  const schema = typeof version === 'string' ? version : String(version)
  const library = tables.has('version_info')
    ? (((db.prepare('SELECT library_version FROM version_info').get() as Row | undefined)
        ?.library_version as string | undefined) ?? null)
    : null
  if (schema in READABLE_SCHEMAS) return { schema, library }
  const readable = Object.entries(READABLE_SCHEMAS)
    .map(([v, who]) => `${v} (${who})`)
    .join(', ')
  if (OLDER_SCHEMAS.includes(schema))
    throw new OptunaImportError(
      'SCHEMA_UNSUPPORTED',
      `${path.basename(file)} has Optuna schema ${schema}, written by an Optuna before 3.0${library ? ` (${library})` : ''}; this build reads ${readable}. Upgrade the file first: optuna storage upgrade --storage sqlite:///${file}`,
    )
  throw new OptunaImportError(
    'SCHEMA_UNSUPPORTED',
    `${path.basename(file)} has Optuna schema ${JSON.stringify(schema)}${library ? ` (written by Optuna ${library})` : ''}, which this build does not know; it reads ${readable}`,
  )
}

const parseAttrs = (rows: Row[]): Record<string, Json> =>
  Object.fromEntries(rows.map((r) => [String(r.key), JSON.parse(String(r.value_json)) as Json]))

function typedValue(value: unknown, type: unknown): number | null {
  if (type === 'INF_POS') return Infinity
  if (type === 'INF_NEG') return -Infinity
  if (type === 'NAN') return null
  return typeof value === 'number' ? value : null
}

function readTrials(db: Database.Database, studyId: number): OptunaTrial[] {
  const byTrial = <T>(sql: string): Map<number, T[]> => {
    const map = new Map<number, T[]>()
    for (const r of db.prepare(sql).all(studyId) as (Row & { trial_id: number })[]) {
      const list = map.get(r.trial_id) ?? []
      list.push(r as T)
      map.set(r.trial_id, list)
    }
    return map
  }
  const inStudy = 'trial_id IN (SELECT trial_id FROM trials WHERE study_id = ?)'
  const params = byTrial<Row>(
    `SELECT trial_id, param_name, param_value, distribution_json FROM trial_params WHERE ${inStudy} ORDER BY param_id`,
  )
  const values = byTrial<Row>(
    `SELECT trial_id, objective, value, value_type FROM trial_values WHERE ${inStudy} ORDER BY objective`,
  )
  const steps = byTrial<Row>(
    `SELECT trial_id, step, intermediate_value, intermediate_value_type FROM trial_intermediate_values WHERE ${inStudy} ORDER BY step`,
  )
  const userAttrs = byTrial<Row>(
    `SELECT trial_id, key, value_json FROM trial_user_attributes WHERE ${inStudy}`,
  )
  const systemAttrs = byTrial<Row>(
    `SELECT trial_id, key, value_json FROM trial_system_attributes WHERE ${inStudy}`,
  )
  const trials = db
    .prepare('SELECT * FROM trials WHERE study_id = ? ORDER BY number, trial_id')
    .all(studyId) as Row[]
  return trials.map((t) => {
    const id = t.trial_id as number
    const distributions: Record<string, OptunaDistribution> = {}
    const values_: Record<string, Json> = {}
    for (const p of params.get(id) ?? []) {
      const name = String(p.param_name)
      try {
        distributions[name] = parseOptunaDistribution(String(p.distribution_json))
        values_[name] = toExternalValue(distributions[name], Number(p.param_value))
      } catch (e) {
        throw new OptunaImportError(
          'UNMAPPABLE',
          `trial ${t.number}, parameter "${name}": ${(e as Error).message}`,
        )
      }
    }
    const vals = values.get(id)
    return {
      number: t.number as number,
      state: t.state as OptunaState,
      params: values_,
      distributions,
      values: vals?.length ? vals.map((v) => typedValue(v.value, v.value_type) ?? NaN) : null,
      intermediate: (steps.get(id) ?? []).map((s) => ({
        step: Number(s.step),
        value: typedValue(s.intermediate_value, s.intermediate_value_type),
      })),
      userAttrs: parseAttrs(userAttrs.get(id) ?? []),
      systemAttrs: parseAttrs(systemAttrs.get(id) ?? []),
      datetimeStart: optunaDateTime(t.datetime_start as string | null),
      datetimeComplete: optunaDateTime(t.datetime_complete as string | null),
    }
  })
}

function readStudies(db: Database.Database): OptunaStudy[] {
  const studies = db
    .prepare('SELECT study_id, study_name FROM studies ORDER BY study_id')
    .all() as Row[]
  const directions = db.prepare(
    'SELECT direction FROM study_directions WHERE study_id = ? ORDER BY objective',
  )
  const attrs = db.prepare('SELECT key, value_json FROM study_user_attributes WHERE study_id = ?')
  return studies.map((s) => {
    const id = s.study_id as number
    return {
      name: String(s.study_name),
      directions: (directions.all(id) as Row[]).map((d) =>
        d.direction === 'MAXIMIZE' ? 'maximize' : 'minimize',
      ),
      userAttrs: parseAttrs(attrs.all(id) as Row[]),
      trials: readTrials(db, id),
    }
  })
}

/** Reads every study of an Optuna SQLite storage. The file is opened read-only and never changed. */
export function readOptunaRdb(file: string): OptunaFile {
  let db: Database.Database
  try {
    db = new Database(file, { readonly: true, fileMustExist: true })
  } catch (e) {
    throw new OptunaImportError('NOT_OPTUNA', `cannot open ${file}: ${(e as Error).message}`)
  }
  try {
    const { schema, library } = checkSchema(db, file)
    return { path: file, format: 'rdb', schema, libraryVersion: library, studies: readStudies(db) }
  } catch (e) {
    if (e instanceof OptunaImportError) throw e
    throw new OptunaImportError(
      'NOT_OPTUNA',
      `${path.basename(file)} could not be read as an Optuna storage: ${(e as Error).message}`,
    )
  } finally {
    db.close()
  }
}
