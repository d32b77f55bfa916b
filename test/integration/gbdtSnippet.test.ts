// The XGBoost snippet of a gbdt trial runs as it is: a real study trains through XGBoost's C API, then
// the trial's snippet runs under Debian's python3-xgboost and prints the trial's own validation value.
import { spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { trialSnippets } from '../../src/main/export/studyExport.ts'
import { openStudyStore } from '../../src/main/store/openStudyStore.ts'
import { createRng } from '../../src/shared/rng.ts'
import { runCli, tempDir, writeStudy } from '../helpers/cli.ts'

const PYTHON = '/usr/bin/python3'
const haveXgboost = [
  '/usr/lib/x86_64-linux-gnu/libxgboost.so.0',
  '/usr/lib/aarch64-linux-gnu/libxgboost.so.0',
].some(existsSync)
const havePythonXgboost =
  existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import xgboost, sklearn']).status === 0
if (!havePythonXgboost)
  console.warn('gbdt snippet test skipped: needs python3-xgboost and python3-sklearn (Debian)')

/** Three classes named by words, four features, a few missing cells, a header and a named target. */
function writeData(dir: string): string {
  const rng = createRng(5)
  const lines = ['f1,f2,label,f3,f4']
  const names = ['setosa', 'versicolor', 'virginica']
  for (let i = 0; i < 240; i++) {
    const k = i % 3
    const f = [k + rng.normal(), 2 * k + rng.normal() * 2, rng.normal(), k * rng.next()]
    const cells = f.map((v, j) => (i % 37 === j ? 'NA' : v.toFixed(4)))
    lines.push([cells[0], cells[1], names[k], cells[2], cells[3]].join(','))
  }
  const file = path.join(dir, 'flowers.csv')
  writeFileSync(file, lines.join('\n') + '\n')
  return file
}

function runSnippet(dir: string, code: string): string {
  const file = path.join(dir, `snippet-${Math.random().toString(36).slice(2)}.py`)
  writeFileSync(file, code)
  const r = spawnSync(PYTHON, [file], { encoding: 'utf8', cwd: dir })
  if (r.status !== 0) throw new Error(`the snippet failed:\n${r.stderr}`)
  return r.stdout
}

describe.skipIf(!haveXgboost || !havePythonXgboost)('the XGBoost snippet of a gbdt trial', () => {
  it('runs as it is and prints the trial’s validation value, early stopping included', async () => {
    const dir = tempDir('hpo-gbdt-snippet-')
    writeData(dir)
    const db = path.join(dir, 'db.sqlite')
    const file = writeStudy(dir, {
      name: 'flowers',
      direction: 'maximize',
      metric: 'accuracy',
      objective: {
        kind: 'gbdt',
        dataset: 'flowers.csv',
        target: 'label',
        validation: { fraction: 0.3, stratify: true, seed: 4 },
        fixed: { tree_method: 'hist' },
      },
      space: {
        max_depth: { type: 'int', low: 1, high: 4 },
        learning_rate: { type: 'float', low: 0.05, high: 0.5, log: true },
        n_estimators: { type: 'int', low: 3, high: 20 },
        early_stopping_rounds: { type: 'categorical', choices: [2, 1000] },
      },
      budget: { trials: 3 },
      seed: 1,
    })
    const run = await runCli(['run', file, '--db', db])
    expect(run.code, run.stderr + run.stdout).toBe(0)

    const store = openStudyStore(db)
    try {
      const study = store.getStudy('flowers')!
      const trials = store.listTrials(study.id)
      expect(trials.map((t) => t.state)).toEqual(['complete', 'complete', 'complete'])
      for (const t of trials) {
        const snippet = trialSnippets(store, study.id, t.number).find(
          (s) => s.id === 'xgboost-python',
        )!
        const out = runSnippet(dir, snippet.code)
        const m = /^validation accuracy = ([\d.e-]+) after (\d+) rounds$/m.exec(out)
        expect(m, out).not.toBeNull()
        expect(Number(m![1])).toBeCloseTo(t.value!, 9)
        const rounds = (t.userAttrs.best_round ?? t.userAttrs.rounds) as number
        expect(Number(m![2])).toBe(rounds)
      }
    } finally {
      store.close()
    }
  })
})
