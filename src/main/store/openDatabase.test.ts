// Opening and migrating the SQLite file: pragmas, user_version, refusal of a newer schema, one
// transaction per migration, checks on the migration files.
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase, readMigrations } from './openDatabase.ts'
import { openStudyStore } from './openStudyStore.ts'
import { StoreError } from './studyStore.ts'

const dir = mkdtempSync(path.join(os.tmpdir(), 'hpo-opendb-'))
let n = 0
const tmpFile = () => path.join(dir, `db-${n++}.sqlite`)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const LATEST = readMigrations().length

function migrationsDir(files: Record<string, string>): string {
  const d = path.join(dir, `migrations-${n++}`)
  mkdirSync(d)
  for (const [name, sql] of Object.entries(files)) writeFileSync(path.join(d, name), sql)
  return d
}

describe('openDatabase', () => {
  it('opens a new file in WAL mode with foreign keys and a busy timeout, at the newest schema', () => {
    const file = tmpFile()
    const db = openDatabase(file, { busyTimeoutMs: 4321 })
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('busy_timeout', { simple: true })).toBe(4321)
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST)
    const tables = db
      .prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table'`)
      .all()
      .map((t) => t.name)
    for (const t of ['studies', 'trials', 'intermediate_values', 'trial_logs', 'tuner_states'])
      expect(tables).toContain(t)
    for (const t of ['study_leases', 'control_requests', 'settings', 'datasets', 'study_datasets'])
      expect(tables).toContain(t)
    db.close()
    const again = openDatabase(file)
    expect(again.pragma('user_version', { simple: true })).toBe(LATEST)
    again.close()
  })

  it('creates the folder of a new database file', () => {
    const file = path.join(dir, 'deep', 'er', 'studies.sqlite')
    openDatabase(file).close()
    const db = new Database(file, { readonly: true })
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST)
    db.close()
  })

  it('refuses a database written by a newer build, naming both versions', () => {
    const file = tmpFile()
    const raw = new Database(file)
    raw.pragma(`user_version = ${LATEST + 4}`)
    raw.close()
    let caught: unknown
    try {
      openStudyStore(file)
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(StoreError)
    expect((caught as StoreError).code).toBe('SCHEMA_TOO_NEW')
    expect((caught as StoreError).message).toBe(
      `${path.basename(file)} has schema ${LATEST + 4}, this build knows up to ${LATEST}: update HPO Studio`,
    )
    const check = new Database(file, { readonly: true })
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST + 4)
    check.close()
  })

  it('applies each migration in its own transaction and stops at a failing one', () => {
    const file = tmpFile()
    const good = '-- 1: a table\nCREATE TABLE a (x INTEGER);\n'
    const bad =
      '-- 2: b, then an error\nCREATE TABLE b (x INTEGER);\nINSERT INTO nowhere VALUES (1);\n'
    const failing = migrationsDir({ '0001_a.sql': good, '0002_b.sql': bad })
    expect(() => openDatabase(file, { migrationsDir: failing })).toThrow(/nowhere/)
    const raw = new Database(file)
    expect(raw.pragma('user_version', { simple: true })).toBe(1)
    const names = raw.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all()
    expect(names).toEqual(['a'])
    raw.close()
    const fixed = migrationsDir({
      '0001_a.sql': good,
      '0002_b.sql': '-- 2: b\nCREATE TABLE b (x INTEGER);\n',
    })
    const db = openDatabase(file, { migrationsDir: fixed })
    expect(db.pragma('user_version', { simple: true })).toBe(2)
    db.close()
  })

  it('checks the migration files: a header comment, numbers without gaps', () => {
    expect(() => readMigrations(migrationsDir({ '0001_a.sql': 'CREATE TABLE a (x);' }))).toThrow(
      /must start with a comment/,
    )
    expect(() =>
      readMigrations(migrationsDir({ '0001_a.sql': '-- a\n', '0003_c.sql': '-- c\n' })),
    ).toThrow(/expected number 2, got 3/)
    for (const m of readMigrations()) expect(m.sql.split('\n')[0]).toMatch(/^-- \d{4}_\w+: .+/)
  })

  it('opens :memory: without WAL', () => {
    const db = openDatabase(':memory:')
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST)
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    db.close()
  })
})
