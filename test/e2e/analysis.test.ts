// The study view, trial comparison, trial page and study comparison in Chromium against `serve` on a
// real SQLite file with fixture studies of each objective kind: open a finished study, select 3 trials,
// compare them, export them; the agent panel of an RL study; a trial's files; studies overlaid.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { artifactsDirFor } from '../../src/main/defaultPaths.ts'
import {
  branin,
  createFixtureStudies,
  createFixtureStudy,
  fillStudy,
} from '../helpers/analysisFixtures.ts'
import { CHROMIUM, screenshot, startHarness, type Harness } from './harness.ts'
import { TrialComparisonPage } from './pages/TrialComparisonPage.ts'

const haveChromium = existsSync(CHROMIUM)
if (!haveChromium) console.warn(`e2e skipped: no Chromium at ${CHROMIUM}`)

let h: Harness
let f: ReturnType<typeof createFixtureStudies>
const problems: string[] = []

/** Pixels drawn on the canvases matching `selector`. */
async function inked(selector: string): Promise<number[]> {
  return h.page.evaluate(`[...document.querySelectorAll(${JSON.stringify(selector)})].map((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data
    let n = 0
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++
    return n
  })`)
}

describe.skipIf(!haveChromium)('study view, comparison and export in Chromium over serve', () => {
  beforeAll(async () => {
    h = await startHarness()
    f = createFixtureStudies(h.store)
    h.page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
    h.page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text()))
        problems.push(`console: ${m.text()}`)
    })
    await h.page.goto(h.server.url)
  }, 180_000)

  afterAll(async () => {
    await h?.close()
  })

  it('opens a finished RL study: history, curves, agent panel, trial table', async () => {
    await h.page.goto(`${h.server.url.split('?')[0]}#/study/${f.cnn.id}`)
    await h.page.locator('.study-view[data-ready="true"]').waitFor({ timeout: 30_000 })
    expect(await h.page.locator('.study-view h1').innerText()).toContain('fashion-cnn-mbrl')
    expect(await h.page.locator('.trials-done').innerText()).toBe('30 / 50')
    for (const n of await inked('.study-view [data-chart] canvas')) expect(n).toBeGreaterThan(2000)
    expect(await h.page.locator('.agent-panel .param-chart').count()).toBe(3)
    expect(await h.page.locator('table.trials tbody tr[data-trial]').count()).toBe(30)
    await h.page.waitForTimeout(200)
    await screenshot(h.page, 'study-view-rl')
  })

  it('shows a running study with its running trials, elapsed time and latest value', async () => {
    await h.page.evaluate(`location.hash = '#/study/${f.gbdt.id}'`)
    await h.page.locator('.study-view[data-ready="true"]').waitFor({ timeout: 30_000 })
    const running = h.page.locator('.running-trials tbody tr')
    expect(await running.count()).toBe(2)
    expect(await running.first().locator('td').nth(2).innerText()).toMatch(/^\d/)
    expect(await h.page.locator('.agent-panel').count()).toBe(0)
  })

  it('selects 3 trials of a finished study, compares them side by side and exports them', async () => {
    await h.page.evaluate(`location.hash = '#/study/${f.synthetic.id}'`)
    await h.page.locator('.study-view[data-ready="true"]').waitFor({ timeout: 30_000 })
    await h.page.locator('[data-action="compare-trials"]').click()
    const cmp = new TrialComparisonPage(h.page)
    await cmp.waitReady()
    expect(await h.page.locator('.trial-table .total').innerText()).toBe('40 in all')
    expect(await cmp.rows().count()).toBeLessThanOrEqual(40)
    const chosen = await cmp.selectRows([0, 2, 5])
    await cmp.compare()
    expect(await cmp.diffColumns().count()).toBe(3)
    expect(await cmp.differingRows().count()).toBe(2)
    for (const n of await inked('[data-section="comparison"] canvas'))
      expect(n).toBeGreaterThan(1000)
    // Parallel coordinates, slice and contour are drawn; importance arrives from its worker.
    for (const n of await inked('.trial-comparison [data-chart] canvas'))
      expect(n).toBeGreaterThan(1000)
    await h.page.locator('.importance-bars li[data-param]').first().waitFor({ timeout: 30_000 })

    const json = await cmp.exportAs('selected', 'json')
    expect(json.suggestedFilename()).toBe('branin-tpe-3-trials.json')
    const doc = JSON.parse(readFileSync((await json.path())!, 'utf8')) as {
      trials: { number: number }[]
    }
    expect(doc.trials.map((t) => t.number)).toEqual([...chosen].sort((a, b) => a - b))
    const csv = await cmp.exportAs('selected', 'csv')
    const lines = readFileSync((await csv.path())!, 'utf8')
      .trim()
      .split('\n')
    expect(lines[0]).toMatch(/^number,state,value,x1,x2,/)
    expect(lines).toHaveLength(4)
    const yaml = await cmp.exportAs('all trials', 'yaml')
    expect(readFileSync((await yaml.path())!, 'utf8')).toMatch(/^study: branin-tpe/)
    await cmp.snippetTab('config-json').click()
    expect(JSON.parse(await cmp.snippetCode().innerText())).toHaveProperty('x1')
    await h.page.waitForTimeout(200)
    await screenshot(h.page, 'trial-comparison')
  })

  it('brushes the parallel coordinates to select trials', async () => {
    const canvas = h.page.locator('.parallel-coordinates canvas')
    await canvas.scrollIntoViewIfNeeded()
    const box = (await canvas.boundingBox())!
    await h.page.mouse.move(box.x + 64, box.y + 20)
    await h.page.mouse.down()
    await h.page.mouse.move(box.x + 64, box.y + 140, { steps: 4 })
    await h.page.mouse.up()
    const label = await h.page.locator('[data-action="compare"]').innerText()
    expect(Number(label.match(/\d+/)?.[0])).toBeGreaterThan(0)
  })

  it('shows a trial: params (inactive blank), error, output, the files it wrote', async () => {
    const trial = h.store.listTrials(f.command.id, ['failed'])[0]
    const dir = path.join(artifactsDirFor(h.store.path), 'command-mlp', String(trial.number))
    mkdirSync(dir, { recursive: true })
    writeFileSync(path.join(dir, 'metrics.json'), '{"loss": [0.9, 0.5]}\n')
    h.store.appendTrialLog(trial.id, 'stdout', 'epoch 1 loss 0.9\n')
    h.store.appendTrialLog(trial.id, 'stderr', 'Traceback: out of memory\n')
    await h.page.evaluate(`location.hash = '#/study/${f.command.id}/trial/${trial.number}'`)
    await h.page.locator('.trial-page[data-ready="true"]').waitFor()
    expect(await h.page.locator('.trial-error').innerText()).toContain('out of memory')
    expect(await h.page.locator('pre.log').first().innerText()).toContain('epoch 1')
    await h.page.getByRole('button', { name: 'metrics.json' }).click()
    await h.page.locator('.preview pre').waitFor()
    expect(await h.page.locator('.preview pre').innerText()).toContain('"loss"')
    await screenshot(h.page, 'trial-page')
    const running = h.store.listTrials(f.command.id, ['running'])[0]
    await h.page.evaluate(`location.hash = '#/study/${f.command.id}/trial/${running.number}'`)
    await h.page.locator('[data-action="cancel-trial"]').waitFor()
  })

  it('overlays the histories of several studies', async () => {
    // Random search on the same task as the TPE fixture study.
    const random = createFixtureStudy(h.store, {
      name: 'branin-random',
      direction: 'minimize',
      objective: { kind: 'synthetic', function: 'branin' },
      tuner: { kind: 'random' },
      budget: { trials: 60 },
      space: { x1: { type: 'float', low: -5, high: 10 }, x2: { type: 'float', low: 0, high: 15 } },
    })
    fillStudy(h.store, random, {
      trials: 40,
      seed: 99,
      value: branin,
    })
    await h.page.evaluate(`location.hash = '#/compare?ids=${f.synthetic.id},${random.id}'`)
    await h.page.locator('.study-compare[data-ready="true"]').waitFor()
    for (const n of await inked('.study-compare canvas')) expect(n).toBeGreaterThan(2000)
    expect(await h.page.locator('.overlay-table tbody tr').count()).toBe(2)
    expect(await h.page.locator('.study-compare .banner.warning').count()).toBe(0)
    await screenshot(h.page, 'study-compare')
    expect(problems).toEqual([])
  })
})
