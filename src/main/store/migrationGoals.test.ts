// Migration 0002 (objectives and constraints) on a database an earlier build wrote: every study and
// trial reads back exactly as before, and the new columns work afterwards.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { braninSpec } from '../../../test/conformance/storeTestHelpers.ts'
import { MIGRATIONS_DIR, openDatabase } from './openDatabase.ts'
import { openStudyStore } from './openStudyStore.ts'

const tmp = mkdtempSync(path.join(os.tmpdir(), 'hpo-mig2-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe('migration 0002: objectives and constraints', () => {
  it('keeps a schema-1 database’s studies and trials exactly as they were', () => {
    const only1 = path.join(tmp, 'migrations-1')
    mkdirSync(only1)
    copyFileSync(
      path.join(MIGRATIONS_DIR, '0001_initial.sql'),
      path.join(only1, '0001_initial.sql'),
    )
    const file = path.join(tmp, 'old.sqlite')
    openDatabase(file, { migrationsDir: only1 }).close()
    // what a build of schema 1 wrote: a study and two trials, by its own SQL
    const raw = new Database(file)
    const spec = JSON.stringify(braninSpec('old'))
    raw
      .prepare(
        `INSERT INTO studies (id, name, spec, state, seed, created_at, updated_at)
         VALUES (1, 'old', ?, 'finished', 7, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
      )
      .run(spec)
    raw
      .prepare(
        `INSERT INTO trials (study_id, number, state, params, value, finished_at, told)
         VALUES (1, 0, 'complete', '{"x1":1,"x2":2}', 3.5, '2026-01-01T00:00:01.000Z', 1),
                (1, 1, 'failed', '{"x1":0,"x2":0}', NULL, '2026-01-01T00:00:02.000Z', 1)`,
      )
      .run()
    expect(raw.pragma('user_version', { simple: true })).toBe(1)
    raw.close()

    const store = openStudyStore(file)
    try {
      const trials = store.listTrials(1)
      expect(trials.map((t) => [t.number, t.state, t.value])).toEqual([
        [0, 'complete', 3.5],
        [1, 'failed', null],
      ])
      for (const t of trials) expect(Object.keys(t)).not.toContain('values')
      expect(store.getStudy(1)?.spec).toEqual(JSON.parse(spec))
      expect(store.listStudies()[0]).toMatchObject({ bestValue: 3.5, bestTrialNumber: 0 })
      const next = store.createTrial(1, { state: 'running', params: { x1: 0, x2: 1 } })
      store.finishTrial(next.id, { state: 'complete', value: 1, values: [1, 2] })
      expect(store.getTrial(1, 2)?.values).toEqual([1, 2])
    } finally {
      store.close()
    }
  })
})
