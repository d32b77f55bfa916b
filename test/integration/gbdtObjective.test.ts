// The gbdt objective with the real XGBoost library, called in-process as the trial worker calls it.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import type { ObjectiveContext } from '../../src/shared/objective.ts'
import type { Config } from '../../src/shared/searchSpace.ts'
import { readCsv } from '../../src/worker/data/readCsv.ts'
import { takeRows } from '../../src/worker/data/splitDataset.ts'
import {
  createGbdtObjective,
  scoreGbdtOnTest,
  trainAndSaveGbdtModel,
} from '../../src/worker/objectives/gbdtObjective.ts'
import { correctCount } from '../../src/worker/xgboost/classificationMetrics.ts'
import { findXgboostLibrary } from '../../src/worker/xgboost/findXgboostLibrary.ts'
import type { GbdtObjectiveSpec } from '../../src/worker/xgboost/gbdtData.ts'
import { trainBooster } from '../../src/worker/xgboost/trainBooster.ts'
import { loadXgboostLibrary, type XgboostLibrary } from '../../src/worker/xgboost/xgboostLibrary.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const DATASETS = path.resolve(ROOT, 'resources/datasets')
const CSV_FIXTURES = path.join(ROOT, 'test/fixtures/csv')

// libgomp reads this when libxgboost loads: without it, nthread=2 rounds stall for seconds while
// other test files keep both cores busy.
process.env.OMP_WAIT_POLICY ??= 'PASSIVE'
let lib: XgboostLibrary | null = null
let skipReason = ''
try {
  lib = loadXgboostLibrary(findXgboostLibrary().path)
} catch (e) {
  skipReason = (e as Error).message
}
if (skipReason) console.log(`skipping gbdt objective tests: ${skipReason}`)
const exactSkip =
  skipReason ||
  (lib && lib.version.join('.') !== '1.7.4'
    ? `the reference counts are for XGBoost 1.7.4, this library is ${lib.version.join('.')}`
    : '')
if (exactSkip && !skipReason) console.log(`skipping the exact-match test: ${exactSkip}`)

const tmp = mkdtempSync(path.join(os.tmpdir(), 'hpo-gbdt-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

function gbdt(name: string, extra: Partial<GbdtObjectiveSpec> = {}): GbdtObjectiveSpec {
  return {
    kind: 'gbdt',
    dataset: path.join(DATASETS, `${name}.csv`),
    validation: { fraction: 0.2, stratify: true, seed: 0 },
    fixed: { tree_method: 'hist' },
    ...extra,
  }
}

interface Run {
  reports: [number, number][]
  controller: AbortController
  ctx: ObjectiveContext
}

function context(seed = 0, onReport?: (step: number, run: Run) => void): Run {
  const controller = new AbortController()
  const run = { reports: [], controller } as unknown as Run
  run.ctx = {
    trialNumber: 0,
    seed,
    trialDir: tmp,
    signal: controller.signal,
    log: () => {},
    report(step, value) {
      run.reports.push([step, value])
      onReport?.(step, run)
    },
  }
  return run
}

const RESOURCES_1 = { metric: 'accuracy', resources: { nthread: 1 } }

/** The "- iris: 0.9333 = 28/30 correct" lines of the data sets' README. */
function referenceCounts(): Map<string, [number, number]> {
  const text = readFileSync(path.join(DATASETS, 'README.md'), 'utf8')
  const out = new Map<string, [number, number]>()
  for (const m of text.matchAll(/^- (\w+): [\d.]+ = (\d+)\/(\d+) correct/gm))
    out.set(m[1], [Number(m[2]), Number(m[3])])
  return out
}

describe.skipIf(!!exactSkip)('XGBoost exact match with the reference (1.7.4)', () => {
  const counts = referenceCounts()
  it('the README lists the five reference counts', () => {
    expect([...counts.keys()].sort()).toEqual([
      'breast_cancer_wdbc',
      'digits',
      'iris',
      'vehicle',
      'wine',
    ])
  })

  it.each(['iris', 'wine', 'breast_cancer_wdbc', 'vehicle', 'digits'])(
    '%s: correct validation predictions equal the reference count',
    async (name) => {
      const x = lib as XgboostLibrary
      const ds = readCsv(path.join(DATASETS, `${name}.csv`))
      const split = JSON.parse(readFileSync(path.join(DATASETS, 'splits', `${name}.json`), 'utf8'))
      const valid = takeRows(ds, split.valid)
      const t = await trainBooster({
        lib: x,
        train: takeRows(ds, split.train),
        valid,
        nClasses: ds.classes.length,
        params: { tree_method: 'hist', n_estimators: 100 },
        seed: 0,
        nthread: 2,
        metric: 'accuracy',
      })
      t.booster.free()
      const [correct, total] = counts.get(name) as [number, number]
      expect(valid.rows).toBe(total)
      expect(t.roundsTrained).toBe(100)
      expect(correctCount(t.resultPredictions, valid.labels, ds.classes.length)).toBe(correct)
    },
  )

  it('iris through the objective (its own split, nthread 2, seed 0): 28/30', async () => {
    const objective = createGbdtObjective(gbdt('iris'), {
      metric: 'accuracy',
      resources: { nthread: 2 },
    })
    const run = context(0)
    const r = await objective.run({}, run.ctx)
    expect(r.value).toBe(counts.get('iris')![0] / 30)
    expect(r.backend).toMatch(/^xgboost 1\.7\.4 \(libxgboost\.so(\.0)?\) nthread=2$/)
    expect(run.reports).toHaveLength(100)
  })
})

describe.skipIf(!!skipReason)('gbdt objective', () => {
  it('reports the validation metric once per round, and the last one is the value', async () => {
    const objective = createGbdtObjective(gbdt('breast_cancer_wdbc'), {
      metric: 'logloss',
      resources: { nthread: 1 },
    })
    const run = context(1)
    const r = await objective.run({ n_estimators: 15, max_depth: 3, learning_rate: 0.2 }, run.ctx)
    expect(run.reports.map(([s]) => s)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1))
    expect(r.value).toBe(run.reports[14][1])
    // logloss falls while the trees fit the training rows
    expect(run.reports[14][1]).toBeLessThan(run.reports[0][1])
    expect(r.userAttrs).toEqual({ rounds: 15 })
  })

  it('is reproducible for a seed and depends on it when sampling rows', async () => {
    const objective = createGbdtObjective(gbdt('vehicle'), {
      metric: 'logloss',
      resources: { nthread: 1 },
    })
    const params: Config = { n_estimators: 10, subsample: 0.5, colsample_bytree: 0.5 }
    const a = await objective.run(params, context(7).ctx)
    const b = await objective.run(params, context(7).ctx)
    const c = await objective.run(params, context(8).ctx)
    expect(b.value).toBe(a.value)
    expect(c.value).not.toBe(a.value)
  })

  it('stops at the next round once aborted: no report after abort, rejects with AbortError', async () => {
    const objective = createGbdtObjective(gbdt('iris'), RESOURCES_1)
    const run = context(0, (step, r) => {
      if (step === 5) r.controller.abort()
    })
    await expect(objective.run({ n_estimators: 50 }, run.ctx)).rejects.toMatchObject({
      name: 'AbortError',
      message: 'cancelled',
    })
    expect(run.reports.map(([s]) => s)).toEqual([1, 2, 3, 4, 5])
  })

  it('lets an abort from outside (a cancel message) in between rounds', async () => {
    const objective = createGbdtObjective(gbdt('digits'), RESOURCES_1)
    const run = context(0)
    let reportsAtAbort = -1
    const started = Date.now()
    const timer = setInterval(() => {
      if (run.reports.length >= 3) {
        reportsAtAbort = run.reports.length
        run.controller.abort()
        clearInterval(timer)
      }
    }, 1)
    await expect(
      objective.run({ n_estimators: 5000, max_depth: 2 }, run.ctx),
    ).rejects.toMatchObject({
      name: 'AbortError',
    })
    clearInterval(timer)
    expect(reportsAtAbort).toBeGreaterThanOrEqual(3)
    expect(run.reports.length).toBe(reportsAtAbort)
    expect(Date.now() - started).toBeLessThan(30_000)
  })

  it('rejects an unknown parameter name before training, with a suggestion', async () => {
    const objective = createGbdtObjective(gbdt('iris'), RESOURCES_1)
    const run = context()
    await expect(objective.run({ max_dept: 3 }, run.ctx)).rejects.toThrow(
      /params\.max_dept: unknown XGBoost parameter "max_dept"; did you mean "max_depth"\?/,
    )
    await expect(objective.run({ objective: 'multi:softmax' }, run.ctx)).rejects.toThrow(
      /params\.objective: is chosen by HPO Studio/,
    )
    expect(run.reports).toEqual([])
  })

  it("fails an out-of-range value with XGBoost's own error text", async () => {
    const objective = createGbdtObjective(gbdt('iris', { fixed: { max_depth: -1 } }), RESOURCES_1)
    const run = context()
    const error = await objective.run({}, run.ctx).catch((e: Error) => e)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toMatch(
      /^value -1 for Parameter max_depth should be greater equal to 0\nmax_depth: Maximum depth of the tree/,
    )
    const bad = await objective.run({ tree_method: 'histo' }, run.ctx).catch((e: Error) => e)
    expect((bad as Error).message).toContain("Invalid Input: 'histo', valid values are:")
    expect(run.reports).toEqual([])
  })

  it('stops early: the value is the best round’s, the rounds after it are reported', async () => {
    const objective = createGbdtObjective(gbdt('vehicle'), {
      metric: 'logloss',
      resources: { nthread: 1 },
    })
    const run = context(0)
    const r = await objective.run(
      { n_estimators: 500, early_stopping_rounds: 5, learning_rate: 0.5 },
      run.ctx,
    )
    const values = run.reports.map(([, v]) => v)
    const best = Math.min(...values)
    const bestRound = values.indexOf(best) + 1
    expect(values.length).toBeLessThan(500)
    expect(values.length).toBe(bestRound + 5)
    expect(r.value).toBe(best)
    expect(r.userAttrs).toEqual({ rounds: values.length, best_round: bestRound })
  })

  it('uses a validation file with the same columns as the fraction split it was cut from', async () => {
    const ds = readCsv(path.join(DATASETS, 'wine.csv'))
    const split = JSON.parse(readFileSync(path.join(DATASETS, 'splits', 'wine.json'), 'utf8'))
    const lines = readFileSync(path.join(DATASETS, 'wine.csv'), 'utf8').trim().split('\n')
    const write = (file: string, rows: number[]) =>
      writeFileSync(file, [lines[0], ...rows.map((i) => lines[i + 1])].join('\n') + '\n')
    write(path.join(tmp, 'wine-train.csv'), split.train)
    write(path.join(tmp, 'wine-valid.csv'), split.valid)
    const fromFile = createGbdtObjective(
      gbdt('wine', {
        dataset: path.join(tmp, 'wine-train.csv'),
        validation: { file: path.join(tmp, 'wine-valid.csv') },
      }),
      RESOURCES_1,
    )
    const fromSplit = createGbdtObjective(gbdt('wine'), RESOURCES_1)
    const params = { n_estimators: 20, max_depth: 2 }
    const a = await fromFile.run(params, context(3).ctx)
    const b = await fromSplit.run(params, context(3).ctx)
    expect(ds.rows).toBe(178)
    expect(a.value).toBe(b.value)

    const other = createGbdtObjective(
      gbdt('wine', { validation: { file: path.join(DATASETS, 'iris.csv') } }),
      RESOURCES_1,
    )
    await expect(other.run(params, context().ctx)).rejects.toThrow(
      /iris\.csv:1: the columns must match the training file's/,
    )
  })

  it('fails a trial on a bad data file with the file, line and column', async () => {
    const objective = createGbdtObjective(
      gbdt('x', { dataset: path.join(CSV_FIXTURES, 'non_numeric.csv') }),
      RESOURCES_1,
    )
    await expect(objective.run({}, context().ctx)).rejects.toThrow(
      /non_numeric\.csv:3: column 2 \("b"\): non-numeric value "abc"/,
    )
    expect(() => createGbdtObjective(gbdt('iris'), { metric: 'rmse', resources: {} })).toThrow(
      /reports accuracy, error, logloss or auc, got "rmse"/,
    )
  })

  it('trains on string labels and missing cells', async () => {
    const objective = createGbdtObjective(
      gbdt('x', {
        dataset: path.join(CSV_FIXTURES, 'string_labels.csv'),
        target: 'species',
        validation: { fraction: 0.5, stratify: true, seed: 0 },
      }),
      RESOURCES_1,
    )
    const r = await objective.run({ n_estimators: 3 }, context().ctx)
    expect(r.value).toBeGreaterThanOrEqual(0)
    expect(r.value).toBeLessThanOrEqual(1)
  })

  it('saves the retrained best configuration as XGBoost JSON, with the trial’s value', async () => {
    const spec = gbdt('breast_cancer_wdbc')
    const params = { n_estimators: 30, max_depth: 3, early_stopping_rounds: 3, learning_rate: 0.3 }
    const trial = await createGbdtObjective(spec, {
      metric: 'logloss',
      resources: { nthread: 1 },
    }).run(params, context(5).ctx)
    const file = path.join(tmp, 'best.json')
    const saved = await trainAndSaveGbdtModel(
      spec,
      { metric: 'logloss', resources: { nthread: 1 } },
      params,
      5,
      file,
    )
    expect(saved.value).toBe(trial.value)
    const model = JSON.parse(readFileSync(file, 'utf8'))
    expect(model.learner.objective.name).toBe('binary:logistic')
    expect(model.learner.feature_names).toHaveLength(30)
    expect(JSON.parse(model.learner.attributes.hpo_studio_classes)).toEqual(['0', '1'])
    expect(model.learner.gradient_booster.model.trees).toHaveLength(saved.rounds)
    expect(saved.rounds).toBe((trial.userAttrs?.best_round as number | undefined) ?? 30)
  })

  it('refuses to run when HPO_STUDIO_XGBOOST_LIB points at a missing file, saying how to install one', async () => {
    const objective = createGbdtObjective(gbdt('iris'), RESOURCES_1)
    const saved = process.env.HPO_STUDIO_XGBOOST_LIB
    process.env.HPO_STUDIO_XGBOOST_LIB = path.join(tmp, 'missing', 'libxgboost.so')
    try {
      await expect(objective.run({}, context().ctx)).rejects.toThrow(
        /HPO_STUDIO_XGBOOST_LIB points at .*missing\/libxgboost\.so, which is not a file\. .*apt-get install libxgboost0/,
      )
    } finally {
      if (saved === undefined) delete process.env.HPO_STUDIO_XGBOOST_LIB
      else process.env.HPO_STUDIO_XGBOOST_LIB = saved
    }
  })

  it("the saved model predicts the same in Python's xgboost", async (t) => {
    const python = process.env.HPO_PYTHON || '/usr/bin/python3'
    const probe = spawnSync(python, ['-c', 'import xgboost'], { encoding: 'utf8' })
    if (probe.status !== 0) {
      console.log(`skipped: no Python xgboost through ${python}`)
      t.skip()
      return
    }
    const spec = gbdt('iris')
    const params = { n_estimators: 25, max_depth: 3 }
    const file = path.join(tmp, 'iris.json')
    const saved = await trainAndSaveGbdtModel(spec, RESOURCES_1, params, 11, file)
    const script = [
      'import json, sys, numpy as np, xgboost as xgb',
      'data = np.genfromtxt(sys.argv[2], delimiter=",", skip_header=1)',
      'va = json.load(open(sys.argv[3]))["valid"]',
      'bst = xgb.Booster(model_file=sys.argv[1])',
      'names = open(sys.argv[2]).readline().strip().split(",")[:-1]',
      'pred = bst.predict(xgb.DMatrix(data[va, :-1].astype(np.float32), feature_names=names))',
      'print(int((pred.argmax(axis=1) == data[va, -1]).sum()))',
    ].join('\n')
    const r = spawnSync(
      python,
      [
        '-c',
        script,
        file,
        path.join(DATASETS, 'iris.csv'),
        path.join(DATASETS, 'splits', 'iris.json'),
      ],
      { encoding: 'utf8' },
    )
    expect(r.stderr).toBe('')
    expect(Number(r.stdout.trim())).toBe(Math.round(saved.value * 30))
  })

  it('scores a configuration once on the test file', async () => {
    const ds = readCsv(path.join(DATASETS, 'iris.csv'))
    const split = JSON.parse(readFileSync(path.join(DATASETS, 'splits', 'iris.json'), 'utf8'))
    const lines = readFileSync(path.join(DATASETS, 'iris.csv'), 'utf8').trim().split('\n')
    const testFile = path.join(tmp, 'iris-test.csv')
    writeFileSync(testFile, [lines[0], ...split.valid.map((i: number) => lines[i + 1])].join('\n'))
    const spec = gbdt('iris', { test: testFile })
    const params = { n_estimators: 20 }
    const trial = await createGbdtObjective(spec, RESOURCES_1).run(params, context(2).ctx)
    // the test rows are the validation rows here, so the test score is the trial's value
    const score = await scoreGbdtOnTest(spec, RESOURCES_1, params, 2)
    expect(score).toMatchObject({ metric: 'accuracy', rows: 30, value: trial.value })
    expect(score.correct).toBe(Math.round(trial.value * 30))
    expect(ds.classes).toHaveLength(3)
  })
})
