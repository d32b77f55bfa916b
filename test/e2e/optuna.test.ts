// Coming from Optuna, through the UI in Chromium over `serve`: an Optuna SQLite file written by real
// Optuna is uploaded on "Open an Optuna database", its studies previewed and one imported, and the study
// view shows its trials; a notebook-style ask/tell loop in Python drives a study while the page shows it.
import { execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { createInterface } from 'node:readline'
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

// A notebook's loop: ask, train, report, tell; then the next trial. It waits for the test after it asked
// and after it told, so the test sees each trial running, then done, without racing the notebook.
const NOTEBOOK = `
import sys
import hpo_studio as hs
study = hs.connect(sys.argv[1], "notebook")
for _ in range(4):
    t = study.ask()
    print("asked", t.number, flush=True)
    input()  # the page showed it running
    for step in range(3):
        t.report(step, (t.params["x"] - 1) ** 2 + 1 / (step + 1))
    study.tell(t, (t.params["x"] - 1) ** 2)
    print("told", t.number, flush=True)
    input()  # the page showed it done
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
    // Whole lines: a pipe may split one print into several chunks ("told", " 0\n").
    const said: string[] = []
    createInterface({ input: notebook.stdout }).on('line', (line) => said.push(line.trim()))
    const heard = async (line: string): Promise<void> => {
      while (!said.includes(line)) {
        if (notebook.exitCode !== null) throw new Error(`the notebook exited before "${line}"`)
        await new Promise((r) => setTimeout(r, 50))
      }
    }
    const row = (n: number, state: string) =>
      h.page.locator(`table.trials tbody tr[data-trial="${n}"]`, {
        has: h.page.locator(`.badge.state-${state}`),
      })
    try {
      for (let n = 0; n < 4; n++) {
        // While the notebook holds trial n, the Trials tab shows it running; once told, complete.
        await heard(`asked ${n}`)
        await row(n, 'running').waitFor()
        if (n === 1) await screenshot(h.page, 'notebook-live')
        notebook.stdin.write('\n')
        await heard(`told ${n}`)
        await row(n, 'complete').waitFor()
        await view
          .trialsDone()
          .filter({ hasText: new RegExp(`^\\s*${n + 1}\\s*/`) })
          .waitFor()
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
