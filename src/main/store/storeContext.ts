// Runs in main. What every part of the SQLite store shares: the connection, the clock, the options.
import type { SqliteDatabase } from './openDatabase.ts'
import { StoreError } from './studyStore.ts'

export interface StoreContext {
  db: SqliteDatabase
  host: string
  staleMs: number
  /** Characters kept at the start, and again at the end, of each trial log stream. */
  logLimitChars: number
  now(): string
  /**
   * Wraps fn in a BEGIN IMMEDIATE transaction: a deferred one that reads before it writes fails with
   * SQLITE_BUSY at once (no busy wait) when another process wrote in between.
   */
  immediate<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R
}

export function createStoreContext(
  db: SqliteDatabase,
  options: { host: string; staleMs: number; logLimitChars: number },
): StoreContext {
  return {
    db,
    ...options,
    now: () => new Date().toISOString(),
    immediate: (fn) => {
      const tx = db.transaction(fn)
      return (...args) => tx.immediate(...args)
    },
  }
}

export const parseJson = <T>(text: string | null): T | null =>
  text === null ? null : (JSON.parse(text) as T)

export const sqliteCode = (e: unknown): string | undefined =>
  (e as { code?: unknown } | null)?.code === undefined
    ? undefined
    : String((e as { code: unknown }).code)

/** SQLite would store NaN as NULL anyway; say so where the value is bound. */
export const nanToNull = (v: number | null | undefined): number | null =>
  v === null || v === undefined || Number.isNaN(v) ? null : v

export function studyNotFound(idOrName: number | string): StoreError {
  return new StoreError(
    'STUDY_NOT_FOUND',
    typeof idOrName === 'number'
      ? `no study with id ${idOrName} in this database`
      : `no study named "${idOrName}" in this database`,
  )
}

export function trialNotFound(trialId: number): StoreError {
  return new StoreError('TRIAL_NOT_FOUND', `no trial with id ${trialId} in this database`)
}
