// Coming from Optuna, through the UI in Chromium over `serve`: an Optuna SQLite file written by real
// Optuna is uploaded on "Open an Optuna database", its studies previewed and one imported, and the study
// view shows its trials.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PYTHON } from '../helpers/optunaFixture.ts'
import { CHROMIUM, screenshot, startHarness, type Harness } from './harness.ts'

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
})
