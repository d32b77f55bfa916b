// Several objectives in the app, in Chromium over `serve` with a real RunnerHub: a gbdt study of
// accuracy against training seconds and one with a model-size constraint, created from the templates,
// run with real XGBoost, read on the Pareto front (hover names the trial, a click chooses it for
// export and snippets), the best-trials list and the plots every study gets.
import { existsSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatNumber } from '../../src/renderer/src/format.ts'
import { bestTrial } from '../../src/shared/bestTrial.ts'
import { createRng } from '../../src/shared/rng.ts'
import { findXgboostLibrary } from '../../src/worker/xgboost/findXgboostLibrary.ts'
import { CHROMIUM, screenshot, startHarness, type Harness } from './harness.ts'
import { NewStudyPage } from './pages/NewStudyPage.ts'
import { StudyViewPage } from './pages/StudyViewPage.ts'

let skip = existsSync(CHROMIUM) ? '' : `no Chromium at ${CHROMIUM}`
try {
  findXgboostLibrary()
} catch (e) {
  skip ||= (e as Error).message
}
if (skip) console.warn(`multi-objective e2e skipped: ${skip}`)

let h: Harness
let csv: string
const problems: string[] = []

async function waitUntil(what: string, check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 150))
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`)
}

/** Three noisy classes in five features: trains in milliseconds, so the run is the workers' start-up. */
function writeBlobs(dir: string): string {
  const rng = createRng(7)
  const rows = ['a,b,c,d,e,label']
  for (let i = 0; i < 300; i++) {
    const k = i % 3
    rows.push(
      [
        ...[0, 1, 2, 3, 4].map((j) => ((k === j % 3 ? 1.2 : 0) + rng.normal()).toFixed(4)),
        `c${k}`,
      ].join(','),
    )
  }
  const file = path.join(dir, 'blobs.csv')
  writeFileSync(file, rows.join('\n'))
  return file
}

async function createFromTemplate(name: string, goals: string | null): Promise<void> {
  const form = new NewStudyPage(h.page)
  await form.open(`http://127.0.0.1:${h.server.port}/`)
  await form.pickTemplate('xgboost-accuracy-time')
  await form.input('Study name').fill(name)
  await form.input('Training data (CSV)').fill(csv)
  await form.input('Training data (CSV)').blur()
  await h.page.getByLabel('Data set summary').waitFor()
  if (goals !== null) await form.input('Objectives and constraints').fill(goals)
  await form.input('Trials').fill('10')
  await form.input('Tuner options').fill('populationSize: 4')
  await form.input('Seed').fill('3')
  await waitUntil('validation to pass', async () => /ready/.test(await form.problems().innerText()))
  await form.create()
  await h.page.locator('.study-view h1').waitFor()
}

async function openTab(tab: string): Promise<void> {
  await h.page.locator(`.study-tabs a[data-tab="${tab}"]`).click()
  await h.page.locator(`.study-view[data-tab="${tab}"][data-ready="true"]`).waitFor()
}

async function runToTheEnd(): Promise<void> {
  const view = new StudyViewPage(h.page)
  await view.control('Start')
  await waitUntil('finished', async () => (await view.state().innerText()) === 'finished', 180_000)
  await openTab('plots')
  await waitUntil('the front to show every trial', async () =>
    /of 10 complete trials/.test(
      await h.page.locator('[data-chart="pareto"] figcaption').innerText(),
    ),
  )
}

describe.skipIf(!!skip)('several objectives in Chromium over serve', () => {
  beforeAll(async () => {
    h = await startHarness()
    csv = writeBlobs(h.dir)
    h.page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
    h.page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`)
    })
    await h.page.goto(h.server.url)
  }, 180_000)

  afterAll(async () => {
    await h?.close()
  })

  it('accuracy against training seconds: the Pareto front, hover, choose a trial, its snippets', async () => {
    await createFromTemplate('e2e-xgb-time', null)
    expect(await h.page.locator('.study-view .view-header').innerText()).toContain(
      'accuracy ↑, train_seconds ↓',
    )
    await runToTheEnd()
    const pareto = h.page.locator('[data-chart="pareto"]')
    const onFront = Number(/(\d+) of 10/.exec(await pareto.locator('figcaption').innerText())![1])
    expect(onFront).toBeGreaterThan(0)
    const best = h.page.locator('[data-panel="best-trials"] tbody tr[data-trial]')
    expect(await best.count()).toBe(onFront)

    // the nearest trial answers the pointer anywhere on the plot
    const box = (await pareto.locator('canvas').boundingBox())!
    await h.page.mouse.move(box.x + box.width / 2, box.y + box.height / 3)
    const readout = h.page.locator('[data-readout="pareto"]')
    await waitUntil('the hover readout', async () => /^trial \d+/.test(await readout.innerText()))
    expect(await readout.innerText()).toMatch(/accuracy = [\d.]+, train_seconds = [\d.e-]+/)
    const hovered = Number(/^trial (\d+)/.exec(await readout.innerText())![1])
    await h.page.mouse.click(box.x + box.width / 2, box.y + box.height / 3)
    const chosen = h.page.locator('[data-panel="chosen-trial"]')
    await chosen.waitFor()
    expect(await chosen.locator(':scope > header > strong').innerText()).toBe(`Trial ${hovered}`)
    await waitUntil('the chosen trial’s snippets', async () =>
      (await chosen.locator('.snippets').innerText()).includes(`Snippets of trial ${hovered}`),
    )
    // a row of the best trials chooses that trial instead
    const first = Number(await best.first().getAttribute('data-trial'))
    await best.first().click()
    await waitUntil(
      'the row’s trial',
      async () =>
        (await chosen.locator(':scope > header > strong').innerText()) === `Trial ${first}`,
    )
    for (const chart of ['edf', 'timeline', 'rank'])
      await h.page.locator(`[data-chart="${chart}"] canvas`).waitFor()
    await screenshot(h.page, 'pareto-front')
  })

  it('with a model-size constraint: infeasible trials marked, never on the front', async () => {
    await createFromTemplate(
      'e2e-xgb-limit',
      'objectives: [{ name: accuracy, direction: maximize }, { name: train_seconds, direction: minimize }]\n' +
        'constraints: [{ name: model_bytes, max: 250000 }]',
    )
    expect(await h.page.locator('.study-view .view-header').innerText()).toContain(
      'constraints model_bytes ≤ 250000',
    )
    await runToTheEnd()
    const caption = await h.page.locator('[data-chart="pareto"] figcaption').innerText()
    const study = h.store.getStudy('e2e-xgb-limit')!
    const trials = h.store.listTrials(study.id)
    const infeasible = trials.filter((t) => t.feasible === false).length
    expect(
      trials.every(
        (t) => t.state === 'complete' && t.feasible === t.constraints!.model_bytes <= 250000,
      ),
    ).toBe(true)
    if (infeasible) expect(caption).toContain(`${infeasible} infeasible`)
    const rows = await h.page
      .locator('[data-panel="best-trials"] tbody tr[data-trial]')
      .evaluateAll((r) => r.map((e) => Number(e.getAttribute('data-trial'))))
    for (const n of rows) expect(trials.find((t) => t.number === n)!.feasible).toBe(true)
    // the live header's best is the most accurate feasible trial
    const best = bestTrial('maximize', trials)
    if (best) {
      await openTab('overview')
      const live = await h.page.locator('.live-status').innerText()
      expect(live).toContain(formatNumber(best.value))
      expect(live).toContain(`trial ${best.number} ·`)
    }
    await screenshot(h.page, 'pareto-front-constrained')
  })

  it('left no page error behind', () => {
    expect(problems).toEqual([])
  })
})
