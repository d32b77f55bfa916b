// Optuna studies in: storages written by real Optuna 3.1 (python3-optuna), imported through the CLI, and
// every trial, param, value, intermediate value, user attribute and time compared with what Optuna reads
// back from the same files. Bad files, schemas, distributions and names fail with specific errors and
// write nothing.
import Database from 'better-sqlite3'
import { copyFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { openStudyStore } from '../../src/main/store/openStudyStore.ts'
import type { StudyStore } from '../../src/main/store/studyStore.ts'
import { importOptuna, type OptunaImportRequest } from '../../src/main/import/importOptuna.ts'
import { OptunaImportError } from '../../src/main/import/optunaStudy.ts'
import { runCli, tempDir } from '../helpers/cli.ts'
import { createTestService } from '../helpers/studioService.ts'
import {
  makeOptunaFixtures,
  type OptunaDump,
  type OptunaDumpTrial,
} from '../helpers/optunaFixture.ts'

let fx: { dir: string; dump: OptunaDump }
beforeAll(async () => {
  fx = await makeOptunaFixtures()
}, 300_000)

const STATE = {
  COMPLETE: 'complete',
  PRUNED: 'pruned',
  FAIL: 'failed',
  RUNNING: 'interrupted',
  WAITING: 'queued',
} as const

const ms = (iso: string | null): number | null =>
  iso === null ? null : Math.floor(Date.parse(iso))

function expectSameAsOptuna(store: StudyStore, file: string): number {
  let compared = 0
  for (const [name, optuna] of Object.entries(fx.dump[file])) {
    const study = store.getStudy(name)
    expect(study, name).not.toBeNull()
    expect(study!.spec.direction).toBe(optuna.directions[0].toLowerCase())
    const trials = store.listTrials(study!.id)
    const steps = store.getIntermediateValues(study!.id)
    expect(trials.map((t) => t.number)).toEqual(optuna.trials.map((t) => t.number))
    for (const o of optuna.trials as OptunaDumpTrial[]) {
      const t = trials.find((x) => x.number === o.number)!
      const where = `${file} ${name} trial ${o.number}`
      expect(t.state, where).toBe(STATE[o.state])
      expect(t.params, where).toEqual(o.state === 'WAITING' ? o.fixed_params : o.params)
      expect(t.value, where).toBe(o.state === 'FAIL' || o.state === 'RUNNING' ? null : o.value)
      expect(t.userAttrs, where).toEqual(o.user_attrs)
      const iv = Object.fromEntries((steps.get(t.id) ?? []).map((s) => [String(s.step), s.value]))
      expect(iv, where).toEqual(o.intermediate_values)
      if (o.state !== 'WAITING') {
        expect(ms(t.startedAt), where).toBe(ms(o.datetime_start))
        expect(ms(t.finishedAt), where).toBe(ms(o.datetime_complete))
      }
      compared++
    }
  }
  return compared
}

describe('hpo-studio import-optuna', () => {
  it('imports every study of an RDB file and a journal file exactly as Optuna reads them', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'studies.sqlite')
    for (const file of ['studies.db', 'journal.log']) {
      const r = await runCli(['import-optuna', path.join(fx.dir, file), '--db', db, '--json'])
      expect(r.code, r.stderr).toBe(0)
      expect(JSON.parse(r.stdout).map((s: { name: string }) => s.name)).toEqual(
        Object.keys(fx.dump[file]),
      )
    }
    const store = openStudyStore(db)
    try {
      const states = new Set(
        Object.values(fx.dump)
          .flatMap((f) => Object.values(f))
          .flatMap((s) => s.trials.map((t) => t.state)),
      )
      expect([...states].sort()).toEqual(['COMPLETE', 'FAIL', 'PRUNED', 'RUNNING', 'WAITING'])
      expect(expectSameAsOptuna(store, 'studies.db')).toBeGreaterThan(30)
      expect(expectSameAsOptuna(store, 'journal.log')).toBe(14)

      // Conditional, log and step parameters became a declared space.
      const space = Object.fromEntries(
        store.getStudy('tune-mlp')!.spec.space.params.map((p) => [p.name, p]),
      )
      expect(space.momentum).toMatchObject({ type: 'float', when: { optimizer: ['sgd'] } })
      expect(space.units_l1).toMatchObject({ type: 'int', log: true, when: { n_layers: [2, 3] } })
      expect(space.dropout).toMatchObject({ type: 'float', step: 0.1, low: 0, high: 0.5 })
      expect(space.batch).toMatchObject({ type: 'int', step: 16, low: 16, high: 128 })
      expect(space.use_bn).toMatchObject({ type: 'categorical', choices: [true, false] })
      expect(store.getStudy('tune-simple')!.notes).toContain('"owner":"fixture"')
    } finally {
      store.close()
    }
  })

  it('shows an imported study in every view of the studio API', async () => {
    const db = path.join(tempDir(), 'views.sqlite')
    const store = openStudyStore(db)
    const service = createTestService(store, tempDir())
    try {
      const preview = await service.bridge.previewOptunaFile({
        path: path.join(fx.dir, 'studies.db'),
      })
      expect(preview.ok && preview.value.studies.map((s) => [s.name, s.problems])).toEqual([
        ['tune-mlp', []],
        ['tune-simple', []],
        ['with-queue', []],
      ])
      const imported = await service.bridge.importOptunaStudies({
        path: path.join(fx.dir, 'studies.db'),
        studies: ['tune-mlp'],
        tuner: 'gp',
      })
      expect(imported.ok, JSON.stringify(imported)).toBe(true)
      const id = imported.ok ? imported.value[0].studyId : -1
      const calls: [string, unknown[]][] = [
        ['getStudy', [id]],
        ['listTrials', [id]],
        ['getTrial', [id, 0]],
        ['getStudyLive', [id]],
        ['getHistoryView', [id]],
        ['getLearningCurves', [id]],
        ['getParamPoints', [id]],
        ['getSlice', [id, 'lr']],
        ['getContour', [id, 'lr', 'dropout']],
        ['compareTrials', [id, [0, 1]]],
        ['exportStudy', [id, { format: 'csv' }]],
      ]
      for (const [method, args] of calls) {
        const r = await service.call(method, args)
        expect(r.ok, `${method}: ${JSON.stringify(r)}`).toBe(true)
      }
      const detail = await service.call('getStudy', [id])
      expect(
        detail.ok && (detail.value as { spec: { tuner: { kind: string } } }).spec.tuner.kind,
      ).toBe('gp')
    } finally {
      service.close()
      store.close()
    }
  })

  it('refuses what it cannot read or map with a specific error, and writes nothing', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'db.sqlite')
    const store = openStudyStore(db)
    const bad = (file: string, extra: Partial<OptunaImportRequest> = {}): string => {
      try {
        importOptuna(store, { file, ...extra })
      } catch (e) {
        expect(e).toBeInstanceOf(OptunaImportError)
        return (e as Error).message
      }
      throw new Error(`${file} was imported`)
    }
    const withSchema = (version: string, ddl = ''): string => {
      const file = path.join(dir, `schema-${version}.db`)
      copyFileSync(path.join(fx.dir, 'studies.db'), file)
      const raw = new Database(file)
      if (ddl) raw.exec(ddl)
      raw.prepare('UPDATE alembic_version SET version_num = ?').run(version)
      raw.close()
      return file
    }
    try {
      const text = path.join(dir, 'notes.txt')
      writeFileSync(text, 'not a storage\n')
      expect(bad(text)).toContain('notes.txt is neither an Optuna SQLite storage')
      expect(bad(db)).toContain('not an Optuna storage (it is an HPO Studio database)')
      expect(bad(withSchema('v9.1.0.a'))).toContain(
        'has Optuna schema "v9.1.0.a" (written by Optuna 3.1.0), which this build does not know; it reads v3.0.0.d (Optuna 3.0 and 3.1), v3.2.0.a',
      )
      expect(bad(withSchema('v2.6.0.a'))).toContain(
        'written by an Optuna before 3.0 (3.1.0); this build reads',
      )
      expect(bad(path.join(fx.dir, 'none-choice.db'))).toContain(
        'parameter "act": CategoricalDistribution(choices=[null,"relu"]) has the choice null',
      )
      expect(bad(path.join(fx.dir, 'multi.db'))).toContain(
        'has 2 objectives (minimize, maximize); only single-objective',
      )
      expect(bad(path.join(fx.dir, 'studies.db'), { studies: ['nope'] })).toContain(
        'studies.db has no Optuna study named "nope" (studies: "tune-mlp", "tune-simple", "with-queue")',
      )
      expect(store.listStudies()).toEqual([])

      // Optuna 3.2's schema only adds an index on trials.study_id (alembic revision v3.2.0.a).
      const v32 = withSchema('v3.2.0.a', 'CREATE INDEX trials_study_id_key ON trials (study_id)')
      importOptuna(store, { file: v32, studies: ['tune-simple'] })
      expect(bad(path.join(fx.dir, 'studies.db'))).toContain('"tune-simple" already exists')
      expect(store.listStudies().map((s) => s.name)).toEqual(['tune-simple'])
    } finally {
      store.close()
    }

    // The command: exit 2 and the message, no stack trace; --name imports a second copy.
    const cli = await runCli(['import-optuna', path.join(fx.dir, 'multi.db'), '--db', db])
    expect(cli.code).toBe(2)
    expect(cli.stderr).toMatch(
      /^import-optuna: study "two-objectives": study "two-objectives" has 2/,
    )
    expect(cli.stderr).not.toMatch(/\n\s+at /)
    const renamed = await runCli([
      'import-optuna',
      path.join(fx.dir, 'studies.db'),
      ...['--study', 'tune-simple', '--name', 'tune-simple-2', '--db', db, '--json'],
    ])
    expect(renamed.code, renamed.stderr).toBe(0)
    expect(JSON.parse(renamed.stdout)).toMatchObject([{ name: 'tune-simple-2', trials: 8 }])
  })
})
