import { existsSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  STUDIO_METHODS,
  specErrorsOf,
  StudioError,
  bridgeToApi,
  type StudioApi,
  type StudioEvent,
} from '../../shared/studioApi.ts'
import { studioApiSchemas } from '../../shared/studioApiSchemas.ts'
import { parseStudySpec } from '../../shared/studySpec.ts'
import { tempDir } from '../../../test/helpers/cli.ts'
import { createTestService } from '../../../test/helpers/studioService.ts'
import { openStudyStore } from '../store/openStudyStore.ts'
import type { StudyStore } from '../store/studyStore.ts'
import type { StudioService } from './studioHandlers.ts'

const BRANIN = `name: branin-a
direction: minimize
objective: { kind: synthetic, function: branin }
budget: { trials: 5 }
`
/** 150 rows of 4 features and 3 classes of 50, the shape of iris. */
function irisLike(file: string): string {
  const rows = Array.from({ length: 150 }, (_, i) => `${i},${i / 2},${i % 7},${i % 3},${i % 3}`)
  writeFileSync(file, ['a,b,c,d,target', ...rows].join('\n'))
  return file
}

let dir: string
let store: StudyStore
let service: StudioService
let api: StudioApi

beforeEach(() => {
  dir = tempDir('hpo-handlers-')
  store = openStudyStore(path.join(dir, 'studies.sqlite'))
  service = createTestService(store, dir, { baseDir: dir, uploadLimitBytes: 10_000 })
  api = bridgeToApi(service.bridge)
})

afterEach(() => {
  service.close()
  store.close()
  rmSync(dir, { recursive: true, force: true })
})

async function rejection(p: Promise<unknown>): Promise<StudioError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  )
  expect(e).toBeInstanceOf(StudioError)
  return e as StudioError
}

describe('studio handlers', () => {
  it('routes every listed method and nothing else', async () => {
    expect(Object.keys(studioApiSchemas).sort()).toEqual([...STUDIO_METHODS].sort())
    const unknown = await service.call('constructor', [])
    expect(unknown).toMatchObject({ ok: false, error: { code: 'BAD_ARGS' } })
  })

  it('refuses bad arguments as data, naming the argument', async () => {
    const r = await service.call('getStudy', ['1'])
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.code).toBe('BAD_ARGS')
      expect(r.error.message).toContain('args[0]')
    }
    const extra = await service.call('listTrials', [1, { limit: 5000 }])
    expect(extra).toMatchObject({ ok: false, error: { code: 'BAD_ARGS' } })
    // An argument a person typed is named in words, without the method or its position.
    const named = await service.call('renameStudy', [1, 'bad name!'])
    expect(named).toMatchObject({
      ok: false,
      error: { code: 'BAD_ARGS', message: expect.stringMatching(/^study name: names use/) },
    })
    if (!named.ok) expect(named.error.message).not.toContain('args')
    let deep: unknown = 1
    for (let i = 0; i < 100_000; i++) deep = [deep]
    expect(await service.call('createStudy', [{ raw: { name: deep } }])).toEqual({
      ok: false,
      error: { code: 'BAD_ARGS', message: 'createStudy: arguments nest deeper than 64 levels' },
    })
  })

  it('creates, validates, duplicates, renames, tags and deletes studies', async () => {
    const events: StudioEvent[] = []
    api.onEvent((e) => events.push(e))
    const s = await api.createStudy({ text: BRANIN })
    expect(s).toMatchObject({ name: 'branin-a', state: 'created', budgetTrials: 5 })
    expect(events).toContainEqual({ type: 'studies-changed' })

    const taken = await rejection(api.createStudy({ text: BRANIN }))
    expect(taken.code).toBe('STUDY_NAME_TAKEN')

    const bad = await api.validateStudy({ text: BRANIN.replace('minimize', 'minimise') })
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.errors[0]).toMatchObject({ path: 'direction', rule: 'enum' })
    const invalid = await rejection(
      api.createStudy({
        raw: {
          name: 'x',
          direction: 'minimize',
          objective: { kind: 'command', run: ['true'] },
          space: { lr: { type: 'float', low: 0, high: 1, log: true } },
        },
      }),
    )
    expect(invalid.code).toBe('SPEC_INVALID')
    expect(invalid.details).toContainEqual(
      expect.objectContaining({
        path: 'space.lr',
        rule: 'positive-when-log',
        message: 'space.lr: low must be > 0 when log is true, got low=0',
      }),
    )
    const syntax = await api.validateStudy({ text: 'name: [unclosed\n' })
    expect(syntax.ok).toBe(false)

    const copy = await api.duplicateStudy(s.id)
    expect(copy.name).toBe('branin-a-copy')
    expect((await api.duplicateStudy(s.id)).name).toBe('branin-a-copy-2')
    const detail = await api.getStudy(copy.id)
    expect(detail.seed).toBe((await api.getStudy(s.id)).seed)

    expect((await api.renameStudy(copy.id, 'renamed')).name).toBe('renamed')
    expect((await api.setStudyNotes(copy.id, 'try TPE next')).notes).toBe('try TPE next')
    expect((await api.setStudyTags(copy.id, ['baseline', 'baseline', 'b2'])).tags).toEqual([
      'baseline',
      'b2',
    ])
    expect((await rejection(api.renameStudy(copy.id, 'branin-a'))).code).toBe('STUDY_NAME_TAKEN')

    await api.deleteStudy(copy.id)
    expect((await rejection(api.getStudy(copy.id))).code).toBe('STUDY_NOT_FOUND')
    expect((await api.listStudies()).map((x) => x.name).sort()).toEqual([
      'branin-a',
      'branin-a-copy-2',
    ])
  })

  it('checks that data files exist and resolves relative paths', async () => {
    const spec = {
      name: 'g',
      direction: 'maximize',
      objective: { kind: 'gbdt', dataset: 'missing.csv' },
      space: { max_depth: { type: 'int', low: 1, high: 5 } },
    }
    const r = await api.validateStudy({ raw: spec })
    expect(r.ok).toBe(false)
    if (!r.ok)
      expect(r.errors).toContainEqual(
        expect.objectContaining({ path: 'objective.dataset', rule: 'file-exists' }),
      )
    writeFileSync(path.join(dir, 'missing.csv'), 'a,target\n1,0\n2,1\n')
    const ok = await api.validateStudy({ raw: spec })
    expect(ok.ok && ok.value.objective.kind === 'gbdt' && ok.value.objective.dataset).toBe(
      path.join(dir, 'missing.csv'),
    )
  })

  it('refuses state changes that make no sense, with the state', async () => {
    const s = await api.createStudy({ text: BRANIN })
    const e = await rejection(api.pauseStudy(s.id))
    expect(e.code).toBe('BAD_STATE')
    expect(e.message).toContain('created')
    expect((await rejection(api.cancelTrial(s.id, 0))).code).toBe('TRIAL_NOT_FOUND')
  })

  it('stores settings under the keys the runner reads', async () => {
    expect(await api.getSettings()).toEqual({
      xgboostLibraryPath: null,
      defaultConcurrency: 1,
      dataFolders: [],
      tfjsBackend: 'auto',
    })
    const lib = path.join(dir, 'libxgboost.so')
    writeFileSync(lib, '')
    const next = await api.setSettings({
      xgboostLibraryPath: lib,
      dataFolders: ['/data'],
      tfjsBackend: 'wasm',
    })
    expect(next).toMatchObject({ xgboostLibraryPath: lib, tfjsBackend: 'wasm' })
    expect(store.getSetting('xgboost.library')).toBe(lib)
    expect(store.getSetting('data.folders')).toEqual(['/data'])
    expect(store.getSetting('tfjs.backend')).toBe('wasm')
    expect((await api.setSettings({ xgboostLibraryPath: null })).xgboostLibraryPath).toBeNull()
    expect((await service.call('setSettings', [{ defaultConcurrency: 0 }])).ok).toBe(false)
    const missing = await rejection(
      api.setSettings({ xgboostLibraryPath: '/nope/libxgboost.so', defaultConcurrency: 2 }),
    )
    expect(specErrorsOf(missing)).toEqual([
      expect.objectContaining({
        path: 'xgboostLibraryPath',
        message: 'xgboost.library: /nope/libxgboost.so does not exist',
      }),
    ])
    expect(store.getSetting('concurrency')).not.toBe(2)
  })

  it('previews sampled configurations reproducibly, or the space errors', async () => {
    const space = {
      booster: { type: 'categorical', choices: ['gbtree', 'dart'] },
      rate_drop: { type: 'float', low: 0, high: 0.5, when: { booster: 'dart' } },
      lr: { type: 'float', low: 0.001, high: 0.1, log: true },
    }
    const a = await api.previewSamples(space, 20, 7)
    const b = await api.previewSamples(space, 20, 7)
    expect(a).toEqual(b)
    expect(a.ok && a.value.length).toBe(20)
    if (a.ok)
      for (const c of a.value) {
        expect(c.lr as number).toBeGreaterThanOrEqual(0.001)
        expect('rate_drop' in c).toBe(c.booster === 'dart')
      }
    const bad = await api.previewSamples({ lr: { type: 'float', low: 0, high: 1, log: true } })
    expect(bad.ok).toBe(false)
  })

  it('ships templates that are valid study files, their data sets included', async () => {
    const templates = await api.listTemplates()
    expect(templates.map((t) => t.id).sort()).toEqual([
      'cnn-paper',
      'command',
      'softmax-lr',
      'synthetic-branin',
      'synthetic-mixed',
      'synthetic-zdt1',
      'tabular-hpobench-blood',
      'tabular-nasbench201',
      'xgboost-accuracy-time',
      'xgboost-constrained',
      'xgboost-paper',
      'xgboost-sample',
    ])
    expect(templates.find((t) => t.id === 'synthetic-branin')!.title).toBe(
      'Branin (synthetic, seconds)',
    )
    for (const t of templates) {
      // a tabular template's space comes from its table, which only main reads
      if ((t.raw.objective as { kind: string }).kind === 'tabular') {
        const checked = await api.validateStudy({ raw: t.raw })
        expect(checked.ok ? [] : checked.errors, t.id).toEqual([])
        continue
      }
      const parsed = parseStudySpec(t.raw)
      expect(parsed.ok ? [] : parsed.errors.map((e) => e.message), t.id).toEqual([])
    }
    const cnn = templates.find((t) => t.id === 'cnn-paper')!
    expect(Object.keys(cnn.raw.space as object)).toHaveLength(16)
    const xgb = templates.find((t) => t.id === 'xgboost-paper')!
    expect(Object.keys(xgb.raw.space as object)).toHaveLength(10)
    // The XGBoost templates run as they are, on sample data sets given as absolute paths.
    for (const id of ['xgboost-paper', 'xgboost-sample']) {
      const raw = templates.find((t) => t.id === id)!.raw
      const dataset = (raw.objective as { dataset: string }).dataset
      expect(path.isAbsolute(dataset) && existsSync(dataset), dataset).toBe(true)
      const checked = await api.validateStudy({ raw })
      expect(checked.ok ? [] : checked.errors, id).toEqual([])
    }
  })

  it('lists the sample data sets that ship with the app, each one a usable CSV', async () => {
    const samples = await api.listSampleDatasets()
    expect(samples.map((s) => [s.name, s.rows, s.features, s.classes])).toEqual([
      ['iris', 150, 4, 3],
      ['wine', 178, 13, 3],
      ['breast_cancer_wdbc', 569, 30, 2],
      ['vehicle', 846, 18, 4],
      ['digits', 1797, 64, 10],
    ])
    for (const s of samples) {
      const summary = await api.checkDataset({ kind: 'tabular', path: s.path })
      expect([summary.rows, summary.features, summary.classes.length]).toEqual([
        s.rows,
        s.features,
        s.classes,
      ])
    }
  })

  it('summarizes CSV and IDX data sets and refuses bad ones with the reason', async () => {
    const iris = await api.checkDataset({
      kind: 'tabular',
      path: irisLike(path.join(dir, 'i.csv')),
    })
    expect(iris).toMatchObject({ rows: 150, features: 4, target: 'target', missingCells: 0 })
    expect(iris.classes).toEqual([
      { label: '0', count: 50 },
      { label: '1', count: 50 },
      { label: '2', count: 50 },
    ])
    const ragged = path.join(dir, 'ragged.csv')
    writeFileSync(ragged, 'a,b,target\n1,2,0\n1,0\n')
    const e = await rejection(api.checkDataset({ kind: 'tabular', path: ragged }))
    expect(e.code).toBe('DATASET_INVALID')
    expect(e.message).toBe(`${ragged}: line 3 has 2 fields, the header has 3`)
    const text = path.join(dir, 'text.csv')
    writeFileSync(text, 'a,b,target\n1,hunter2,0\n1,,1\n')
    const notNumber = await rejection(api.checkDataset({ kind: 'tabular', path: text }))
    expect(notNumber.message).toBe(
      `${text}: line 2, column 2: not a number (features must be numbers; leave a cell empty for a missing value)`,
    )
    const missing = path.join(dir, 'missing.csv')
    writeFileSync(missing, 'a,b,target\n1,,0\n1,2,1\n')
    expect((await api.checkDataset({ kind: 'tabular', path: missing })).missingCells).toBe(1)

    const header = (magic: number, dims: number[]) => {
      const b = Buffer.alloc(4 + 4 * dims.length)
      b.writeUInt32BE(magic, 0)
      dims.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i))
      return b
    }
    const images = path.join(dir, 'imgs-idx3-ubyte')
    const labels = path.join(dir, 'labels-idx1-ubyte')
    writeFileSync(images, Buffer.concat([header(0x803, [3, 2, 2]), Buffer.alloc(12)]))
    writeFileSync(labels, Buffer.concat([header(0x801, [3]), Buffer.from([0, 1, 1])]))
    expect(await api.checkDataset({ kind: 'images', images, labels })).toMatchObject({
      rows: 3,
      features: 4,
      imageShape: [2, 2],
      classes: [
        { label: '0', count: 1 },
        { label: '1', count: 2 },
      ],
    })
    writeFileSync(labels, Buffer.concat([header(0x801, [2]), Buffer.from([0, 1])]))
    expect((await rejection(api.checkDataset({ kind: 'images', images, labels }))).message).toBe(
      `${labels}: has 2 labels but imgs-idx3-ubyte has 3 images`,
    )
  })

  it('stores uploads in the data-set folder, capped in size', async () => {
    const csv = 'a,target\n1,0\n2,1\n'
    const r = await api.uploadDataset({
      fileName: '../../evil name.csv',
      contentBase64: Buffer.from(csv).toString('base64'),
    })
    expect(r.path).toBe(path.join(dir, 'datasets', 'uploads', 'evil_name.csv'))
    expect(r.summary?.rows).toBe(2)
    const big = await rejection(
      api.uploadDataset({
        fileName: 'big.csv',
        contentBase64: Buffer.alloc(20_000).toString('base64'),
      }),
    )
    expect(big.code).toBe('TOO_LARGE')
    const bad = await rejection(
      api.uploadDataset({
        fileName: 'bad.csv',
        contentBase64: Buffer.from('x').toString('base64'),
      }),
    )
    expect(bad.code).toBe('DATASET_INVALID')
    expect((await rejection(api.pickDatasetFile({ title: 'x', extensions: ['csv'] }))).code).toBe(
      'UNSUPPORTED',
    )
  })
})

describe('errors as data', () => {
  it('names the process that holds a study’s lease', async () => {
    const s = await api.createStudy({ text: BRANIN })
    const other = { pid: process.pid + 100_000, host: 'other-host' }
    expect(store.acquireLease(s.id, other)).toEqual({ ok: true })
    store.setStudyState(s.id, 'running')
    const e = await rejection(api.startStudy(s.id))
    expect(e.code).toBe('LEASE_HELD')
    expect(e.details).toEqual({ pid: other.pid, host: 'other-host' })
    const del = await rejection(api.deleteStudy(s.id))
    expect(del.code).toBe('BAD_STATE')
    expect(del.message).toContain('other-host')
  })
})
