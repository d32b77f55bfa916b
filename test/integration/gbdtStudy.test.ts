// A real XGBoost study from the command line: data checked and registered, trials train through the C API,
// the best configuration is scored on the test file and exported as a model.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { openStudyStore } from '../../src/main/store/openStudyStore.ts'
import { ROOT, runCli, tempDir, writeStudy } from '../helpers/cli.ts'

const IRIS = path.join(ROOT, 'resources/datasets/iris.csv')
const haveXgboost = [
  '/usr/lib/x86_64-linux-gnu/libxgboost.so.0',
  '/usr/lib/aarch64-linux-gnu/libxgboost.so.0',
].some(existsSync)

function irisFiles(dir: string): { train: string; test: string } {
  const [header, ...rows] = readFileSync(IRIS, 'utf8').trim().split('\n')
  const test = rows.filter((_, i) => i % 5 === 0)
  const train = rows.filter((_, i) => i % 5 !== 0)
  writeFileSync(path.join(dir, 'train.csv'), [header, ...train].join('\n') + '\n')
  writeFileSync(path.join(dir, 'test.csv'), [header, ...test].join('\n') + '\n')
  return { train: path.join(dir, 'train.csv'), test: path.join(dir, 'test.csv') }
}

const study = (extra: Record<string, unknown> = {}) => ({
  name: 'iris-xgb',
  direction: 'maximize',
  objective: {
    kind: 'gbdt',
    dataset: 'train.csv',
    test: 'test.csv',
    fixed: { tree_method: 'hist' },
  },
  space: {
    max_depth: { type: 'int', low: 1, high: 6 },
    learning_rate: { type: 'float', low: 0.01, high: 0.5, log: true },
    n_estimators: { type: 'int', low: 5, high: 30 },
  },
  budget: { trials: 3 },
  seed: 0,
  ...extra,
})

describe.skipIf(!haveXgboost)('a gbdt study (XGBoost through its C API)', () => {
  it('trains, records per-round values, scores the test set, exports the model, and warns when the data changes', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'db.sqlite')
    const files = irisFiles(dir)
    const file = writeStudy(dir, study())
    const run = await runCli(['run', file, '--db', db])
    expect(run.code, run.stderr + run.stdout).toBe(0)

    const store = openStudyStore(db)
    const s = store.getStudy('iris-xgb')!
    const trials = store.listTrials(s.id)
    expect(trials.map((t) => t.state)).toEqual(['complete', 'complete', 'complete'])
    for (const t of trials) {
      expect(t.backend).toMatch(/^xgboost 1\.7/)
      expect(t.value).toBeGreaterThan(0.8)
      expect(store.getIntermediateValues(s.id, [t.id]).get(t.id)).toHaveLength(
        t.params.n_estimators as number,
      )
    }
    const best = trials.find((t) => t.testScore !== null)
    expect(best, 'the best configuration was scored on the test file').toBeDefined()
    expect(best!.testScore).toBeGreaterThan(0.8)
    const linked = store.listStudyDatasets(s.id)
    expect(linked.map((l) => l.role).sort()).toEqual(['test', 'train'])
    expect(linked.find((l) => l.role === 'train')!.dataset).toMatchObject({
      kind: 'tabular',
      shape: [120, 4],
      classCounts: { '0': 40, '1': 40, '2': 40 },
    })
    store.close()

    const model = path.join(dir, 'best.json')
    const exp = await runCli([
      'export',
      'iris-xgb',
      '--db',
      db,
      '--format',
      'json',
      '--top',
      '1',
      '--model',
      model,
    ])
    expect(exp.code, exp.stderr).toBe(0)
    const saved = JSON.parse(readFileSync(model, 'utf8'))
    expect(saved.learner.objective.name).toBe('multi:softprob')

    appendFileSync(files.train, readFileSync(files.train, 'utf8').trim().split('\n')[1] + '\n')
    const again = await runCli(['run', file, '--db', db, '--trials', '4'])
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toMatch(/train\.csv changed since this study started tuning on it/)
  }, 120_000)

  it("keeps XGBoost's own warnings in the trial's log", async () => {
    const dir = tempDir()
    const db = path.join(dir, 'db.sqlite')
    irisFiles(dir)
    const base = study()
    const file = writeStudy(dir, {
      ...base,
      // a dart parameter: the default booster (gbtree) does not use it, and XGBoost says so
      objective: { ...base.objective, fixed: { tree_method: 'hist', rate_drop: 0.1 } },
      budget: { trials: 1 },
    })
    const run = await runCli(['run', file, '--db', db])
    expect(run.code, run.stderr + run.stdout).toBe(0)
    const store = openStudyStore(db)
    const [trial] = store.listTrials(store.getStudy('iris-xgb')!.id)
    expect(trial.state).toBe('complete')
    expect(store.getTrialLog(trial.id).stderr).toContain(
      'Parameters: { "rate_drop" } are not used.',
    )
    store.close()
  }, 60_000)

  it('refuses to start on a broken data file, and rejects an XGBoost parameter typo before any trial', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'db.sqlite')
    irisFiles(dir)
    writeFileSync(path.join(dir, 'train.csv'), 'a,b,target\n1,2,0\n3,oops,1\n')
    const broken = await runCli(['run', writeStudy(dir, study()), '--db', db])
    expect(broken.code).toBe(2)
    expect(broken.stderr).toMatch(
      /cannot start: .*train\.csv:3: column 2 \("b"\): non-numeric value "oops"/,
    )

    const typo = writeStudy(
      dir,
      study({ name: 'typo', space: { max_dept: { type: 'int', low: 1, high: 6 } } }),
      'typo.yaml',
    )
    const v = await runCli(['validate', typo])
    expect(v.code).toBe(2)
    expect(v.stderr).toMatch(/space\.max_dept: .*did you mean "max_depth"/)
  }, 60_000)
})
