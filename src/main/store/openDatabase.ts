// Runs in main. Opens the SQLite file with the pragmas every process must agree on and applies the
// numbered migrations in src/main/store/migrations/ (read at runtime, next to this module).
import Database from 'better-sqlite3'
import { mkdirSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { StoreError } from './studyStore.ts'

export type SqliteDatabase = Database.Database

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url))
export const DEFAULT_BUSY_TIMEOUT_MS = 10_000

export interface Migration {
  version: number
  file: string
  sql: string
}

/** The migration files in version order; their numbers must run 1, 2, 3… without gaps. */
export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((file) => {
      const match = /^(\d+)_[\w-]+\.sql$/.exec(file)
      if (!match) throw new Error(`migration ${file}: name must be NNNN_what.sql`)
      const sql = readFileSync(path.join(dir, file), 'utf8')
      if (!sql.startsWith('--'))
        throw new Error(
          `migration ${file}: must start with a comment saying what it changes and why`,
        )
      return { version: Number(match[1]), file, sql }
    })
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`migration ${m.file}: expected number ${i + 1}, got ${m.version}`)
  })
  return migrations
}

export interface OpenDatabaseOptions {
  busyTimeoutMs?: number
  migrationsDir?: string
}

/**
 * Opens (creating if needed) and migrates the database. Refuses a file whose schema is newer than
 * this build's with StoreError('SCHEMA_TOO_NEW'). Safe when several processes open the same new file
 * at once: each migration re-checks the version inside its own write transaction.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): SqliteDatabase {
  const migrations = readMigrations(options.migrationsDir)
  const latest = migrations.length
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS
  const inMemory = file === ':memory:' || file === ''
  if (!inMemory) mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
  const db = new Database(file, { timeout: busyTimeoutMs })
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`)
    const found = db.pragma('user_version', { simple: true }) as number
    if (found > latest) {
      const name = inMemory ? file : path.basename(file)
      throw new StoreError(
        'SCHEMA_TOO_NEW',
        `${name} has schema ${found}, this build knows up to ${latest}: update HPO Studio`,
      )
    }
    if (!inMemory) db.pragma('journal_mode = WAL')
    // In WAL mode NORMAL loses no committed transaction when a process is killed, only on power loss.
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    for (const m of migrations) {
      if (m.version <= found) continue
      db.transaction(() => {
        const now = db.pragma('user_version', { simple: true }) as number
        if (now >= m.version) return
        db.exec(m.sql)
        db.pragma(`user_version = ${m.version}`)
      }).immediate()
    }
    return db
  } catch (e) {
    db.close()
    throw e
  }
}
