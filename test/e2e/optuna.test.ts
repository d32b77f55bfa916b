// Coming from Optuna, through the UI in Chromium over `serve`: an Optuna SQLite file written by real
// Optuna is uploaded on "Open an Optuna database", its studies previewed and one imported, and the study
// view shows its trials; a notebook-style ask/tell loop in Python drives a study while the page shows it.
import { execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseStudySpec } from '../../src/shared/studySpec.ts'
import { ROOT } from '../helpers/cli.ts'
import { PYTHON } from '../helpers/optunaFixture.ts'
import { CHROMIUM, screenshot, startHarness, type Harness } from './harness.ts'
import { StudyViewPage } from './pages/StudyViewPage.ts'

const haveChromium = existsSync(CHROMIUM)

const MAKE_DB = `
import sys, optuna
optuna.logging.set_verbosity(optuna.logging.ERROR)
storage = "sqlite:///" + sys.argv[1]
def objective(t):
    kind = t.suggest_categorical("kind", ["linear", "rbf"])
    c = t.suggest_float("c", 1e-3, 1e3, log=True)
    if kind == "rbf":
        t.suggest_float("gamma", 1e-4, 1, log=True)
    for step in range(3):
        t.report(c / (step + 1), step)
    return abs(c - 1)
optuna.create_study(study_name="svm", storage=storage, sampler=optuna.samplers.RandomSampler(seed=1)).optimize(objective, n_trials=6)
optuna.create_study(study_name="two", storage=storage, directions=["minimize", "minimize"]).optimize(lambda t: (t.suggest_float("x", 0, 1), 1.0), n_trials=1)
`

// A notebook's loop: ask, train (slowly, so the page sees it run), report, tell; then the next trial.
const NOTEBOOK = `
import sys, time
import hpo_studio as hs
study = hs.connect(sys.argv[1], "notebook")
for _ in range(4):
    t = study.ask()
    for step in range(3):
        time.sleep(0.4)
        t.report(step, (t.params["x"] - 1) ** 2 + 1 / (step + 1))
    study.tell(t, (t.params["x"] - 1) ** 2)
    print("told", t.number, flush=True)
    input()  # the test says when to go on
`

let h: Harness
let dbFile: string

describe.skipIf(!haveChromium)('Coming from Optuna, in Chromium over serve', () => {
  beforeAll(async () => {
    h = await startHarness()
    dbFile = path.join(h.dir, 'optuna.db')
    await promisify(execFile)(PYTHON, ['-c', MAKE_DB, dbFile])
    await h.page.goto(h.server.url)
  }, 180_000)

  afterAll(async () => {
    await h?.close()
  })

  it('opens an Optuna database, previews its studies and imports one with its trials', async () => {
    const page = h.page
    await page.getByRole('button', { name: 'Open an Optuna database' }).click()
    await page.getByLabel('Upload an Optuna file').setInputFiles(dbFile)
    const svm = page.locator('[data-optuna-study="svm"]')
    await svm.waitFor()
    expect(await svm.innerText()).toContain('6 complete')
    const two = page.locator('[data-optuna-study="two"]')
    expect(await two.innerText()).toContain('has 2 objectives (minimize, minimize)')
    expect(await two.getByRole('checkbox').isDisabled()).toBe(true)
    await page.getByLabel('Tuner').selectOption('gp')
    await screenshot(page, 'optuna-import')
    await page.locator('[data-action="import-optuna"]').click()
    await page.waitForURL(/#\/study\/\d+$/)
    const study = h.store.getStudy('svm')!
    expect(study.spec.tuner.kind).toBe('gp')
    expect(study.spec.space.params.find((p) => p.name === 'gamma')?.when).toEqual({ kind: ['rbf'] })
    expect(h.store.listTrials(study.id).map((t) => t.state)).toEqual(Array(6).fill('complete'))
    await page.getByText('6 / 106').first().waitFor()
  })

  it('shows the trials a notebook asks for and tells, live', async () => {
    const spec = parseStudySpec({
      name: 'notebook',
      direction: 'minimize',
      objective: { kind: 'external' },
      space: { x: { type: 'float', low: -3, high: 3 } },
      tuner: { kind: 'tpe' },
      budget: { trials: 4 },
    })
    if (!spec.ok) throw new Error(JSON.stringify(spec.errors))
    const study = h.store.createStudy({ ...spec.value, seed: 3 })
    await h.page.goto(`http://127.0.0.1:${h.server.port}/#/study/${study.id}/trials`)
    const view = new StudyViewPage(h.page)
    await view.trialsDone().waitFor()
    const notebook = spawn(PYTHON, ['-c', NOTEBOOK, h.server.url], {
      env: { ...process.env, PYTHONPATH: path.join(ROOT, 'clients/python') },
      stdio: ['pipe', 'pipe', 'inherit'],
    })
    const told: number[] = []
    notebook.stdout.on('data', (d: Buffer) => {
      for (const m of d.toString().matchAll(/told (\d+)/g)) told.push(Number(m[1]))
    })
    try {
      for (let n = 1; n <= 4; n++) {
        // The page shows each trial running, then done, while the notebook waits to go on.
        await h.page
          .locator(`table.trials tbody tr[data-trial="${n - 1}"]`)
          .waitFor({ timeout: 30_000 })
        for (const end = Date.now() + 30_000; (await view.doneCount()) < n;) {
          if (Date.now() > end) throw new Error(`the page never showed ${n} trials done`)
          await new Promise((r) => setTimeout(r, 100))
        }
        while (told.length < n) await new Promise((r) => setTimeout(r, 50))
        expect(told).toEqual(Array.from({ length: n }, (_, i) => i))
        if (n === 2) await screenshot(h.page, 'notebook-live')
        notebook.stdin.write('\n')
      }
    } finally {
      notebook.stdin.end()
    }
    await new Promise((r) => notebook.on('close', r))
    expect(await view.doneCount()).toBe(4)
    expect(h.store.listTrials(study.id).map((t) => t.state)).toEqual(Array(4).fill('complete'))
  })
})
