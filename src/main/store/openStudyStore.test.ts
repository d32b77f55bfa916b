// What only the SQLite store can show: one transaction per write, cascades that leave no rows behind,
// indexes used by the hot queries, a log table that stays small. A second connection looks at the file.
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { braninSpec } from '../../../test/conformance/storeTestHelpers.ts'
import { openStudyStore } from './openStudyStore.ts'
import type { StudyStore } from './studyStore.ts'

const dir = mkdtempSync(path.join(os.tmpdir(), 'hpo-sqlite-store-'))
let n = 0
let open: { store: StudyStore; raw: Database.Database }[] = []
afterEach(() => {
  for (const o of open) {
    o.store.close()
    o.raw.close()
  }
  open = []
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function fileStore(options: Parameters<typeof openStudyStore>[1] = {}) {
  const file = path.join(dir, `s-${n++}.sqlite`)
  const store = openStudyStore(file, options)
  const raw = new Database(file)
  open.push({ store, raw })
  return { store, raw }
}
const failTunerStateWrites = (raw: Database.Database) =>
  raw.exec(`
    CREATE TRIGGER no_insert BEFORE INSERT ON tuner_states BEGIN SELECT RAISE(ABORT, 'disk full'); END;
    CREATE TRIGGER no_update BEFORE UPDATE ON tuner_states BEGIN SELECT RAISE(ABORT, 'disk full'); END;`)

describe('SQLite study store', () => {
  it('writes a result and the tuner state together or not at all', () => {
    const { store, raw } = fileStore()
    const { id } = store.createStudy(braninSpec())
    const t = store.createTrial(id, { state: 'running', params: { x1: 1 } }, new Uint8Array([1]))
    const imported = store.importTrials(id, [{ params: { x1: 2 }, value: 5 }])[0]
    failTunerStateWrites(raw)
    expect(() =>
      store.finishTrial(t.id, { state: 'complete', value: 2 }, { state: new Uint8Array([2]) }),
    ).toThrow(/disk full/)
    expect(store.getTrial(id, 0)).toMatchObject({ state: 'running', value: null })
    expect(store.listUntoldFinished(id).map((x) => x.id)).toEqual([imported.id])
    expect(() =>
      store.createTrial(id, { state: 'running', params: {} }, new Uint8Array([3])),
    ).toThrow(/disk full/)
    expect(store.listTrials(id)).toHaveLength(2)
    expect(() => store.markTold(imported.id, new Uint8Array([4]))).toThrow(/disk full/)
    expect(store.listUntoldFinished(id).map((x) => x.id)).toEqual([imported.id])
    raw.exec('DROP TRIGGER no_insert; DROP TRIGGER no_update')
    expect(store.getTunerState(id)).toEqual(new Uint8Array([1]))
    expect(store.createTrial(id, { state: 'queued', params: {} }).number).toBe(2)
  })

  it('leaves no row of a deleted study behind', () => {
    const { store, raw } = fileStore({ logLimitChars: 4 })
    const { id } = store.createStudy(braninSpec())
    const t = store.createTrial(id, { state: 'running', params: {} }, new Uint8Array([1]))
    store.addIntermediate(t.id, 1, 1)
    store.appendTrialLog(t.id, 'stdout', 'a long line of output')
    store.appendTrialLog(t.id, 'stderr', 'err')
    store.acquireLease(id, { pid: process.pid, host: 'h' })
    store.requestControl(id, 'pause', 'test')
    store.linkStudyDataset(
      id,
      store.registerDataset({
        name: 'd',
        kind: 'images',
        path: '/d',
        hash: 'x',
        shape: [1, 28, 28],
        classCounts: {},
        classMapping: null,
      }).id,
      'train',
    )
    store.deleteStudy(id)
    const tables = raw
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('datasets')`)
      .pluck()
      .all() as string[]
    for (const table of tables)
      expect([table, raw.prepare(`SELECT count(*) FROM ${table}`).pluck().get()]).toEqual([
        table,
        0,
      ])
    expect(raw.pragma('foreign_key_check')).toEqual([])
  })

  it('keeps a chatty log to a few rows', () => {
    const { store, raw } = fileStore({ logLimitChars: 1000 })
    const { id } = store.createStudy(braninSpec())
    const t = store.createTrial(id, { state: 'running', params: {} })
    for (let i = 0; i < 3000; i++) store.appendTrialLog(t.id, 'stdout', `line ${i}\n`)
    const chunks = raw.prepare('SELECT count(*) FROM trial_log_chunks').pluck().get() as number
    expect(chunks).toBeLessThan(300)
    const log = store.getTrialLog(t.id)
    expect(log.truncated).toBe(true)
    expect(log.stdout.startsWith('line 0\nline 1\n')).toBe(true)
    expect(log.stdout.endsWith('line 2999\n')).toBe(true)
    expect(log.stdout.length).toBeLessThan(2100)
  })

  it('stores a long log in a few large chunks, batched, with the same head and tail', () => {
    const { store, raw } = fileStore()
    const { id } = store.createStudy(braninSpec())
    const [a, b] = [0, 1].map(() => store.createTrial(id, { state: 'running', params: {} }))
    const lines = Array.from({ length: 100_000 }, (_, i) => `step ${i} loss 0.${i % 997}\n`)
    for (let i = 0; i < lines.length; i += 5000)
      store.appendTrialLogs(
        lines
          .slice(i, i + 5000)
          .flatMap((text, k) => [
            { trialId: a.id, stream: 'stdout' as const, text },
            ...(k % 100 === 0 ? [{ trialId: b.id, stream: 'stderr' as const, text }] : []),
          ]),
      )
    for (const text of lines.slice(0, 1000)) store.appendTrialLog(b.id, 'stdout', text)
    const chunks = raw.prepare('SELECT count(*) FROM trial_log_chunks').pluck().get() as number
    expect(chunks).toBeLessThan(200)
    const whole = lines.join('')
    const log = store.getTrialLog(a.id)
    const limit = 256 * 1024
    expect(log.truncated).toBe(true)
    expect(log.stdout).toBe(
      whole.slice(0, limit) +
        `\n[… ${whole.length - 2 * limit} characters of output dropped …]\n` +
        whole.slice(-limit),
    )
    expect(store.getTrialLog(b.id).stdout).toBe(lines.slice(0, 1000).join(''))
    expect(store.getTrialLog(b.id).stderr).toBe(lines.filter((_, i) => i % 100 === 0).join(''))
  })

  it('answers the hot queries from indexes', () => {
    const { raw } = fileStore()
    const plan = (sql: string) =>
      (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
        .map((r) => r.detail)
        .join('; ')
    expect(
      plan(
        `SELECT number FROM trials WHERE study_id = 1 AND state = 'complete' ORDER BY value LIMIT 1`,
      ),
    ).toMatch(/USING (COVERING )?INDEX trials_by_study_state_value/)
    expect(plan(`SELECT * FROM trials WHERE study_id = 1 ORDER BY value`)).toMatch(
      /USING INDEX trials_by_study_value/,
    )
    expect(plan('SELECT * FROM intermediate_values WHERE trial_id = 3')).toMatch(/PRIMARY KEY/)
    expect(plan('SELECT * FROM trials WHERE study_id = 1 AND number = 4')).toMatch(/INDEX/)
    // the oldest tail chunk of a log, found without scanning its head chunks
    expect(
      plan(
        `SELECT id FROM trial_log_chunks WHERE trial_id = 1 AND stream = 'stdout' AND in_head = 0 ORDER BY id LIMIT 1`,
      ),
    ).toMatch(
      /USING (COVERING )?INDEX trial_log_chunks_by_part \(trial_id=\? AND stream=\? AND in_head=\?\)/,
    )
  })

  it("reads a stored spec back through its schema: another build's spec fails naming the study and the field", () => {
    const { store, raw } = fileStore()
    const { id } = store.createStudy(braninSpec('old-build', { tuner: { kind: 'tpe' } }))
    expect(store.getStudy(id)?.spec.tuner.kind).toBe('tpe')
    raw
      .prepare(`UPDATE studies SET spec = json_set(spec, '$.tuner.kind', 'hyperopt') WHERE id = ?`)
      .run(id)
    for (const read of [() => store.getStudy(id), () => store.listStudies()]) {
      let caught: unknown
      try {
        read()
      } catch (e) {
        caught = e
      }
      expect(caught).toMatchObject({ code: 'BAD_DATA' })
      expect((caught as Error).message).toMatch(
        /^study "old-build" \(id \d+\) was stored by another build of HPO Studio and cannot be read by this one: spec\.tuner\.kind: /,
      )
    }
    raw.prepare(`UPDATE studies SET spec = '{"name":' WHERE id = ?`).run(id)
    expect(() => store.getStudy(id)).toThrow(/"old-build".*its spec is not JSON/)
  })
})
