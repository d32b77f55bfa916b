// The way back to Optuna: `export --format optuna-enqueue` writes a script that real Optuna
// (python3-optuna) runs; the study's next trials are the exported configurations, best first.
import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import type { Config } from '../../src/shared/searchSpace.ts'
import { parseStudySpec } from '../../src/shared/studySpec.ts'
import { openStudyStore } from '../../src/main/store/openStudyStore.ts'
import { runCli, tempDir } from '../helpers/cli.ts'
import { PYTHON } from '../helpers/optunaFixture.ts'

const OPTIMIZE = `
import json, optuna
optuna.logging.set_verbosity(optuna.logging.ERROR)
study = optuna.load_study(study_name="back-to-optuna", storage="sqlite:///optuna.db")
seen = []
def objective(t):
    p = {"opt": t.suggest_categorical("opt", ["adam", "sgd"]), "lr": t.suggest_float("lr", 1e-5, 1, log=True)}
    if p["opt"] == "sgd":
        p["momentum"] = t.suggest_float("momentum", 0, 1)
    p["layers"] = t.suggest_int("layers", 1, 4)
    p["bn"] = t.suggest_categorical("bn", [True, False])
    seen.append(p)
    return 0.0
study.optimize(objective, n_trials=3)
print(json.dumps(seen))
`

describe('export --format optuna-enqueue', () => {
  it('writes a script that enqueues the top K into an Optuna study, which runs them first', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'db.sqlite')
    const parsed = parseStudySpec({
      name: 'back-to-optuna',
      direction: 'minimize',
      objective: { kind: 'external' },
      space: {
        opt: { type: 'categorical', choices: ['adam', 'sgd'] },
        lr: { type: 'float', low: 1e-5, high: 1, log: true },
        momentum: { type: 'float', low: 0, high: 1, when: { opt: 'sgd' } },
        layers: { type: 'int', low: 1, high: 4 },
        bn: { type: 'categorical', choices: [true, false] },
      },
    })
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
    const store = openStudyStore(db)
    const study = store.createStudy({ ...parsed.value, seed: 0 })
    const configs: Config[] = [
      { opt: 'sgd', lr: 0.01, momentum: 0, layers: 2, bn: true },
      { opt: 'adam', lr: 0.001, layers: 1, bn: false },
      { opt: 'sgd', lr: 0.1, momentum: 0.9, layers: 4, bn: false },
      { opt: 'adam', lr: 1e-5, layers: 3, bn: true },
    ]
    store.importTrials(
      study.id,
      configs.map((params, i) => ({ params, value: [0.3, 0.1, 0.2, 0.9][i] })),
    )
    store.close()

    const script = path.join(dir, 'enqueue.py')
    const r = await runCli([
      'export',
      'back-to-optuna',
      '--db',
      db,
      '--format',
      'optuna-enqueue',
      '--top',
      '3',
      '--out',
      script,
    ])
    expect(r.code, r.stderr).toBe(0)
    const run = promisify(execFile)
    const out = await run(PYTHON, [script], { cwd: dir })
    expect(out.stdout).toContain('3 configurations queued in back-to-optuna')
    writeFileSync(path.join(dir, 'optimize.py'), OPTIMIZE)
    const seen = JSON.parse((await run(PYTHON, ['optimize.py'], { cwd: dir })).stdout)
    expect(seen).toEqual([configs[1], configs[2], configs[0]])
  })
})
