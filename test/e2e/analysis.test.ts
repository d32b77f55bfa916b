// The study view's tabs, the trial page and the study comparison in Chromium against `serve` on a real
// SQLite file with fixture studies of each objective kind: every tab at its own address; the overview
// of a running study; the selected trials compared; the filter and the brushes driving every plot and
// the table, and the other way round; export; the agent of an RL study; a trial; studies overlaid.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { artifactsDirFor } from '../../src/main/defaultPaths.ts'
import { DEFAULT_PLOT_TRIALS } from '../../src/main/views/paramPlots.ts'
import { bestTrial } from '../../src/shared/bestTrial.ts'
import { parseStudySpec } from '../../src/shared/studySpec.ts'
import { syntheticFunction } from '../../src/shared/syntheticFunctions.ts'
import { STUDY_TABS } from '../../src/renderer/src/routes.ts'
import {
  branin,
  createFixtureStudies,
  createFixtureStudy,
  fillStudy,
} from '../helpers/analysisFixtures.ts'
import { CHROMIUM, screenshot, startHarness, type Harness } from './harness.ts'
import { StudyViewPage } from './pages/StudyViewPage.ts'

const haveChromium = existsSync(CHROMIUM)
if (!haveChromium) console.warn(`e2e skipped: no Chromium at ${CHROMIUM}`)

let h: Harness
let f: ReturnType<typeof createFixtureStudies>
let view: StudyViewPage
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

async function open(hash: string, tab?: string): Promise<void> {
  await h.page.evaluate(`location.hash = ${JSON.stringify(hash)}`)
  await view.waitReady(tab)
}

describe.skipIf(!haveChromium)(
  'study view tabs, comparison and export in Chromium over serve',
  () => {
    beforeAll(async () => {
      h = await startHarness()
      f = createFixtureStudies(h.store)
      view = new StudyViewPage(h.page)
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

    it('opens every tab of a study at its own address, the Agent tab for RL tuners only', async () => {
      for (const tab of STUDY_TABS) {
        await open(`#/study/${f.cnn.id}${tab === 'overview' ? '' : `/${tab}`}`, tab)
        expect(
          await h.page
            .locator('.study-tabs [role=tab][aria-selected=true]')
            .getAttribute('data-tab'),
        ).toBe(tab)
      }
      await open(`#/study/${f.gbdt.id}`, 'overview')
      const tabs = await h.page
        .locator('.study-tabs [role=tab]')
        .evaluateAll((els) => els.map((e) => e.textContent))
      expect(tabs.map((t) => t?.trim())).toEqual([
        'Overview',
        'Trials',
        'Analysis',
        'Plots',
        'Export',
      ])
      // An address for a tab the study does not have opens its overview.
      await open(`#/study/${f.gbdt.id}/agent`, 'overview')
    })

    it('shows a finished RL study: overview, and the agent with KL against δ explained and units on every axis', async () => {
      await open(`#/study/${f.cnn.id}`, 'overview')
      expect(await h.page.locator('.study-view h1').innerText()).toContain('fashion-cnn-mbrl')
      expect(await h.page.locator('.trials-done').innerText()).toBe('30 / 50')
      for (const n of await inked('.study-view [data-chart] canvas'))
        expect(n).toBeGreaterThan(2000)
      await h.page.waitForTimeout(200)
      await screenshot(h.page, 'study-view-rl')

      await view.tab('Agent')
      expect(await h.page.locator('.agent-panel .param-chart').count()).toBe(3)
      expect(await h.page.locator('.kl-explain').innerText()).toMatch(
        /keeps learning from the surrogate while KL ≤ δ = 0.4/,
      )
      // Every axis says what it counts and in which unit.
      const axes = await h.page
        .locator('.agent-panel canvas')
        .evaluateAll((els) => els.map((e) => e.getAttribute('aria-description') ?? ''))
      expect(axes).toHaveLength(6)
      for (const a of axes) for (const title of a.split('; ')) expect(title).toMatch(/^\w+: \S/)
      expect(axes.join('\n')).toContain('y: KL (nats, mean per parameter)')
      expect(axes.join('\n')).toContain('y: episodes (count)')
      expect(axes.join('\n')).toContain('y: hold-out RMSE (accuracy)')
      expect(axes.join('\n')).toContain('y: learning_rate (log scale)')
      await screenshot(h.page, 'study-agent')
    })

    it('shows a running study: running trials ticking on the overview and in the table', async () => {
      await open(`#/study/${f.gbdt.id}`, 'overview')
      const running = h.page.locator('.running-trials tbody tr')
      expect(await running.count()).toBe(2)
      expect(await running.first().locator('td').nth(1).innerText()).toMatch(/^\d/)
      await view.tab('Trials')
      await h.page.getByRole('button', { name: 'running', exact: true }).click()
      await expect.poll(() => view.trialRows().count()).toBe(2)
      const cell = view.trialRows().first().locator('td.duration')
      const seconds = async () => {
        const [n, unit] = (await cell.innerText()).split(' ')
        return unit === 'min' ? 60 * Number(n) : Number(n)
      }
      const before = await seconds()
      await h.page.waitForTimeout(2200)
      expect(await seconds()).toBeGreaterThan(before)
    })

    it('compares the selected trials on the Trials tab, then exports them from the Export tab', async () => {
      await open(`#/study/${f.synthetic.id}/trials`, 'trials')
      expect(await h.page.locator('.trial-table .total').innerText()).toBe('40 in all')
      const chosen = await view.selectRows([0, 2, 5])
      await h.page.locator('[data-section="comparison"] .param-diff').waitFor()
      // The comparison shows from two selected trials on; the third joins it a moment later.
      await expect.poll(() => view.diffColumns().count()).toBe(3)
      expect(await view.differingRows().count()).toBe(2)
      expect(await h.page.getByRole('tab', { name: /Trials/ }).innerText()).toContain('3 selected')
      for (const n of await inked('[data-section="comparison"] canvas'))
        expect(n).toBeGreaterThan(1000)
      await screenshot(h.page, 'trial-comparison')

      await view.tab('Export')
      const json = await view.exportAs('selected', 'json')
      expect(json.suggestedFilename()).toBe('branin-tpe-3-trials.json')
      const doc = JSON.parse(readFileSync((await json.path())!, 'utf8')) as {
        trials: { number: number }[]
      }
      expect(doc.trials.map((t) => t.number)).toEqual([...chosen].sort((a, b) => a - b))
      const csv = await view.exportAs('selected', 'csv')
      const lines = readFileSync((await csv.path())!, 'utf8')
        .trim()
        .split('\n')
      expect(lines[0]).toMatch(/^number,state,value,x1,x2,/)
      expect(lines).toHaveLength(4)
      // The YAML is a study file of the same study, its trials under `results`.
      const yaml = await view.exportAs('all trials', 'yaml')
      const file = parseYaml(readFileSync((await yaml.path())!, 'utf8')) as Record<string, unknown>
      const spec = parseStudySpec(file)
      expect(spec.ok).toBe(true)
      expect(file.name).toBe('branin-tpe')
      expect((file.results as { trials: unknown[] }).trials).toHaveLength(40)
      await view.snippetTab('config-json').click()
      expect(JSON.parse(await view.snippetCode().innerText())).toHaveProperty('x1')
      await screenshot(h.page, 'study-export')
    })

    it('filters every plot and the table from a brush, and brushes from the table’s filter', async () => {
      const all = h.store.listTrials(f.gbdt.id)
      const valued = (t: (typeof all)[number]) =>
        (t.state === 'complete' || t.state === 'pruned') && t.value !== null
      const linear = all.filter((t) => t.params.booster === 'gblinear')
      await open(`#/study/${f.gbdt.id}/analysis`, 'analysis')
      for (const n of await inked('.analysis-tab [data-chart] canvas'))
        expect(n).toBeGreaterThan(1000)
      await h.page.locator('.importance-bars li[data-param]').first().waitFor({ timeout: 30_000 })
      await h.page.getByLabel('contour x').selectOption('eta')
      await h.page.getByLabel('contour y').selectOption('lambda')
      expect(await view.count('.history-chart .trial-count')).toBe(
        all.filter((t) => valued(t) || t.state === 'failed').length,
      )

      // Brush the booster axis (gblinear at its top): the filter, the table and every plot follow.
      const canvas = h.page.locator('.parallel-coordinates canvas')
      await canvas.scrollIntoViewIfNeeded()
      const box = (await canvas.boundingBox())!
      await h.page.mouse.move(box.x + 64, box.y + 30)
      await h.page.mouse.down()
      await h.page.mouse.move(box.x + 64, box.y + 120, { steps: 4 })
      await h.page.mouse.up()
      await h.page.locator('[data-filter="choices-booster"]').waitFor()
      await expect
        .poll(() => h.page.locator('.trial-table .total').innerText())
        .toBe(`${linear.length} match`)
      await expect
        .poll(() => view.count('.slice-plot figcaption .muted'))
        .toBe(linear.filter(valued).length)
      await expect
        .poll(() => view.count('.history-chart .trial-count'))
        .toBe(linear.filter((t) => valued(t) || t.state === 'failed').length)
      await expect
        .poll(() => view.count('.contour-plot figcaption .muted'))
        .toBe(linear.filter((t) => t.state === 'complete').length)
      await screenshot(h.page, 'study-analysis-brushed')

      // The other way round: the table's state filter and a parameter range show in the plots.
      await h.page
        .locator('.analysis-tab .trial-table')
        .getByRole('button', { name: 'complete', exact: true })
        .click()
      const complete = linear.filter((t) => t.state === 'complete')
      await expect
        .poll(() => h.page.locator('.parallel-coordinates .brushed').innerText())
        .toBe(`${complete.length} in filter`)
      await h.page.getByRole('button', { name: '+ parameter range' }).click()
      await h.page.getByLabel('parameter filter 1').selectOption('eta')
      await h.page.getByLabel('eta at most').fill('0.01')
      await h.page.getByLabel('eta at most').press('Enter')
      await expect
        .poll(() => h.page.locator('.parallel-coordinates').getAttribute('data-brushed-axes'))
        .toBe('booster,eta')
      const slow = complete.filter((t) => (t.params.eta as number) <= 0.01)
      await expect
        .poll(() => h.page.locator('.trial-table .total').innerText())
        .toBe(`${slow.length} match`)
      await expect.poll(() => view.count('.slice-plot figcaption .muted')).toBe(slow.length)

      // A click on a trial in the table selects it in the plots too; clearing the filter restores all.
      await view.trialRows().first().locator('td').nth(3).click()
      await expect
        .poll(() => h.page.locator('.filter-summary .selection').innerText())
        .toMatch(/1 trial/)
      await h.page.getByRole('button', { name: 'clear filter', exact: true }).click()
      await expect
        .poll(() => h.page.locator('.trial-table .total').innerText())
        .toBe(`${all.length} in all`)
      expect(await h.page.locator('.parallel-coordinates').getAttribute('data-brushed-axes')).toBe(
        '',
      )
      await screenshot(h.page, 'study-analysis')
      expect(problems).toEqual([])
    })

    it('shows a trial: previous/next, local times, why it was pruned, output and files', async () => {
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
      // Times in the user's zone, the ISO time on hover.
      const started = h.page.locator('table.kv tr', { hasText: 'started' }).locator('td')
      expect(await started.getAttribute('title')).toBe(trial.startedAt)
      expect(await started.innerText()).toBe(
        await h.page.evaluate(
          `new Date(${JSON.stringify(trial.startedAt)}).toLocaleString(undefined, { hour12: false })`,
        ),
      )
      await h.page.getByRole('button', { name: 'metrics.json' }).click()
      await h.page.locator('.preview pre').waitFor()
      expect(await h.page.locator('.preview pre').innerText()).toContain('"loss"')
      await screenshot(h.page, 'trial-page')

      await h.page.locator('[data-action="next-trial"]').click()
      await expect
        .poll(() => h.page.locator('.trial-page h1').innerText())
        .toContain(`Trial ${trial.number + 1}`)
      await h.page.locator('.trial-page[data-ready="true"]').waitFor()
      await h.page.keyboard.press('ArrowLeft')
      await expect
        .poll(() => h.page.locator('.trial-page h1').innerText())
        .toContain(`Trial ${trial.number}`)

      // A pruned trial says why.
      const t = h.store.createTrial(f.synthetic.id, { state: 'running', params: { x1: 1, x2: 2 } })
      h.store.addIntermediate(t.id, 1, 40)
      h.store.finishTrial(t.id, {
        state: 'pruned',
        value: 40,
        error:
          'pruned at step 1 (value 40): worse than the median of the complete trials at that step (median pruner, from step 0 once 5 trials were complete)',
      })
      await h.page.evaluate(`location.hash = '#/study/${f.synthetic.id}/trial/${t.number}'`)
      await h.page.locator('.trial-reason').waitFor()
      expect(await h.page.locator('.trial-reason').innerText()).toMatch(
        /^Why it was pruned: pruned at step 1 \(value 40\): worse than the median/,
      )
      expect(await h.page.locator('[data-action="next-trial"]').count()).toBe(0)

      const running = h.store.listTrials(f.command.id, ['running'])[0]
      await h.page.evaluate(`location.hash = '#/study/${f.command.id}/trial/${running.number}'`)
      await h.page.locator('[data-action="cancel-trial"]').waitFor()
    })

    it('overlays studies: crop, budget fraction, mean ± band over seeds, regret', async () => {
      const setup = {
        direction: 'minimize',
        objective: { kind: 'synthetic', function: 'branin' },
        tuner: { kind: 'random' },
        budget: { trials: 60 },
        space: {
          x1: { type: 'float', low: -5, high: 10 },
          x2: { type: 'float', low: 0, high: 15 },
        },
      }
      const seeds = [11, 12, 13].map((seed, i) => {
        const s = createFixtureStudy(h.store, { name: `branin-random-${seed}`, ...setup }, seed)
        fillStudy(h.store, s, { trials: 30 + 5 * i, seed, value: branin })
        return s
      })
      const ids = [f.synthetic.id, ...seeds.map((s) => s.id)].join(',')
      await h.page.evaluate(`location.hash = '#/compare?ids=${ids}'`)
      await h.page.locator('.study-compare[data-ready="true"]').waitFor()
      for (const n of await inked('.study-compare canvas')) expect(n).toBeGreaterThan(2000)
      expect(await h.page.locator('.overlay-table tbody tr').count()).toBe(4)
      const lines = () => h.page.locator('[data-chart="overlay"]').getAttribute('data-lines')
      // The three random-search seeds are one line (mean ± band), TPE the other.
      await expect.poll(lines).toBe('2')
      expect(await h.page.locator('.seeds-note').count()).toBe(1)
      await h.page.getByLabel('mean ± band over seeds').uncheck()
      await expect.poll(lines).toBe('4')
      await h.page.getByLabel('mean ± band over seeds').check()
      await h.page.getByLabel('regret').check()
      await expect
        .poll(() => h.page.locator('[data-chart="overlay"] figcaption strong').innerText())
        .toBe('Regret')
      await h.page.getByLabel('crop to shortest').check()
      await h.page.getByLabel('x axis').selectOption('budget')
      await h.page.getByLabel('log y').check()
      await h.page.waitForTimeout(200)
      for (const n of await inked('.study-compare canvas')) expect(n).toBeGreaterThan(2000)
      await screenshot(h.page, 'study-compare')
      expect(problems).toEqual([])
    })

    it('draws a 3,000-trial study’s parallel coordinates: a sample with the best kept, the best on top', async () => {
      const hartmann = syntheticFunction('hartmann6')
      const study = createFixtureStudy(h.store, {
        name: 'hartmann6-random-3000',
        direction: 'minimize',
        objective: { kind: 'synthetic', function: 'hartmann6' },
        tuner: { kind: 'random' },
        budget: { trials: 3000 },
      })
      fillStudy(h.store, study, { trials: 3000, seed: 5, value: (p) => hartmann.evaluate(p) })
      h.store.setStudyState(study.id, 'finished')
      const best = bestTrial('minimize', h.store.listTrials(study.id))!
      await open(`#/study/${study.id}/analysis`, 'analysis')
      const pc = h.page.locator('.parallel-coordinates')
      await expect
        .poll(() => pc.locator('figcaption .muted').first().innerText())
        .toBe(`${DEFAULT_PLOT_TRIALS} trials of 3000 (sampled, best kept)`)
      // The best line is drawn last, on top of the other 1,999.
      expect(await pc.getAttribute('data-top-trial')).toBe(String(best.number))
      expect(await pc.locator('.colorbar').innerText()).toMatch(/\(low is good\)/)
      await screenshot(pc, 'parallel-coordinates-3000')
      expect(problems).toEqual([])
    })
  },
)
