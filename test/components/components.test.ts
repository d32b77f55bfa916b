// Component tests in Chromium: every chart, the agent panel, the params diff and the virtualized trial
// table, mounted by a Vite dev server with fixture studies of each objective kind (conditional spaces
// included) that the real analysis code computed from a real SQLite store and analysis workers.
import vue from '@vitejs/plugin-vue'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { createServer, type ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as analysis from '../../src/main/views/studyAnalysis.ts'
import { openStudyStore } from '../../src/main/store/openStudyStore.ts'
import type { TrialRow } from '../../src/shared/studioApi.ts'
import { createFixtureStudies } from '../helpers/analysisFixtures.ts'

const here = path.dirname(fileURLToPath(import.meta.url))
const repo = path.resolve(here, '../..')
const CHROMIUM = process.env.HPO_CHROMIUM ?? '/usr/bin/chromium'
const SHOTS = path.join(repo, 'test/e2e/screenshots/components')
const haveChromium = existsSync(CHROMIUM)
const TABLE_ROWS = 10_000

async function buildFixture(): Promise<unknown> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hpo-components-'))
  const store = openStudyStore(path.join(dir, 'studies.sqlite'))
  const ctx = analysis.createAnalysisContext(store)
  try {
    const f = createFixtureStudies(store)
    const compared = store
      .listTrials(f.command.id, ['complete'])
      .slice(0, 3)
      .map((t) => t.number)
    const rng = (i: number) => ((i * 2654435761) % 10007) / 10007
    const rows: TrialRow[] = Array.from({ length: TABLE_ROWS }, (_, i) => {
      const booster = rng(i) < 0.5 ? 'gbtree' : 'gblinear'
      const params: TrialRow['params'] = {
        booster,
        eta: 0.001 * 300 ** rng(i + 1),
        lambda: 0.001 * 10_000 ** rng(i + 2),
      }
      if (booster === 'gbtree') params.max_depth = 1 + Math.floor(rng(i + 3) * 12)
      // trial 1 waits in Slurm's queue
      const state =
        i === 1 ? 'running' : i % 50 === 7 ? 'failed' : i % 9 === 4 ? 'pruned' : 'complete'
      return {
        number: i,
        state,
        params,
        value:
          state === 'failed' || state === 'running'
            ? null
            : Number((0.5 + 0.45 * rng(i + 4)).toFixed(4)),
        startedAt: null,
        finishedAt: null,
        durationMs: 1000 + i,
        error: state === 'failed' ? 'RuntimeError: out of memory' : null,
        backend: 'xgboost 1.7.4',
        latest: null,
        placement:
          state === 'running'
            ? {
                executor: 'slurm' as const,
                jobName: 'hpo-3f2a1c-gbdt-1',
                jobId: '42',
                queue: 'pending' as const,
                reason: 'Resources',
                node: null,
              }
            : null,
      }
    })
    return {
      historyMin: await analysis.studyHistory(ctx, f.synthetic.id),
      historyMax: await analysis.studyHistory(ctx, f.gbdt.id),
      curves: await analysis.learningCurves(ctx, f.gbdt.id, { top: 10 }),
      points: analysis.paramPoints(ctx, f.gbdt.id),
      slice: analysis.sliceData(ctx, f.gbdt.id, 'eta'),
      sliceCat: analysis.sliceData(ctx, f.gbdt.id, 'booster'),
      contour: analysis.contourData(ctx, f.gbdt.id, 'eta', 'lambda'),
      importance: await analysis.studyImportance(ctx, f.gbdt.id, { nTrees: 32 }),
      comparison: await analysis.compareTrials(ctx, f.command.id, compared),
      agent: analysis.agentTimeline(ctx, f.cnn.id),
      tableParams: store.getStudy(f.gbdt.id)!.spec.space.params,
      rows,
    }
  } finally {
    ctx.close()
    store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Pixels drawn (alpha > 0) on each canvas inside a gallery section. */
async function inked(page: Page, section: string): Promise<number[]> {
  return page.evaluate(`[...document.querySelectorAll('[data-c="${section}"] canvas')].map((c) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data
    let n = 0
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++
    return n
  })`)
}

const totalText = (page: Page): Promise<string> =>
  page.locator('[data-c="table"] .total').innerText()

let server: ViteDevServer
let browser: Browser
let page: Page
const problems: string[] = []

async function shoot(section: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true })
  await page
    .locator(`[data-c="${section}"]`)
    .screenshot({ path: path.join(SHOTS, `${section}.png`) })
}

describe.skipIf(!haveChromium)('components in Chromium', () => {
  beforeAll(async () => {
    const fixture = JSON.stringify(await buildFixture())
    server = await createServer({
      configFile: false,
      root: path.join(here, 'gallery'),
      plugins: [
        vue(),
        {
          name: 'fixture',
          configureServer(s) {
            s.middlewares.use('/fixture.json', (_req, res) => {
              res.setHeader('Content-Type', 'application/json')
              res.end(fixture)
            })
          },
        },
      ],
      server: { host: '127.0.0.1', port: 0, fs: { allow: [repo] } },
      logLevel: 'warn',
    })
    await server.listen()
    const address = server.httpServer!.address() as { port: number }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    })
    page = await browser.newPage({ viewport: { width: 1240, height: 900 } })
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`)
    })
    await page.goto(`http://127.0.0.1:${address.port}/`)
    await page.locator('[data-c="table"] tr[data-trial]').first().waitFor({ timeout: 60_000 })
    await page.waitForTimeout(300)
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('draws the history, curves, slices, contour and parallel coordinates', async () => {
    for (const s of ['history-min', 'history-max', 'curves', 'slice', 'contour', 'parallel']) {
      const ink = await inked(page, s)
      expect(ink.length, s).toBeGreaterThan(0)
      for (const n of ink) expect(n, `${s} canvas is blank`).toBeGreaterThan(2000)
      await shoot(s)
    }
    expect(problems).toEqual([])
  })

  it('shows pruned and failed trials apart in the history, and can hide them', async () => {
    const sec = page.locator('[data-c="history-min"]')
    const before = (await inked(page, 'history-min'))[0]
    await sec.getByLabel('pruned').uncheck()
    await sec.getByLabel('failed').uncheck()
    await page.waitForTimeout(100)
    expect((await inked(page, 'history-min'))[0]).toBeLessThan(before)
    await sec.getByLabel('pruned').check()
    await sec.getByLabel('failed').check()
    await sec.getByLabel('log y').check()
    await page.waitForTimeout(100)
    expect((await inked(page, 'history-min'))[0]).toBeGreaterThan(2000)
  })

  it('a click on a point of the history or a slice selects its trial', async () => {
    const click = async (section: string, dataset: number, index: number) => {
      await page.locator(`[data-c="${section}"] canvas`).first().scrollIntoViewIfNeeded()
      const at = await page.evaluate(
        ([s, d, i]) =>
          (
            globalThis as unknown as {
              chartPoint(s: string, n: number, d: number, i: number): { x: number; y: number }
            }
          ).chartPoint(s as string, 0, d as number, i as number),
        [section, dataset, index] as const,
      )
      await page.mouse.click(at.x, at.y)
    }
    await click('history-min', 0, 0)
    await expect.poll(() => page.locator('#picked').innerText()).toMatch(/^history \d+$/)
    await click('slice', 0, 0)
    await expect.poll(() => page.locator('#picked').innerText()).toMatch(/^slice \d+$/)
  })

  it('selects trials by brushing an axis of the parallel coordinates', async () => {
    const canvas = page.locator('[data-c="parallel"] canvas')
    await canvas.scrollIntoViewIfNeeded()
    const box = (await canvas.boundingBox())!
    // The first axis sits at the left margin (64 px); drag over its upper half.
    await page.mouse.move(box.x + 64, box.y + 20)
    await page.mouse.down()
    await page.mouse.move(box.x + 64, box.y + 100, { steps: 4 })
    await page.mouse.up()
    const brushed = await page.locator('#brushed').innerText()
    expect(Number(brushed)).toBeGreaterThan(0)
    const total = await page.locator('[data-c="parallel"] figcaption .muted').innerText()
    expect(Number(brushed)).toBeLessThan(Number(total.split(' ')[0]))
    await shoot('parallel')
    await page.getByRole('button', { name: 'Clear brush' }).click()
    expect(await page.locator('#brushed').innerText()).toBe('none')
  })

  it('shows importance as bars with their spread, and the agent panel per hyperparameter', async () => {
    const bars = page.locator('[data-c="importance"] li[data-param]')
    expect(await bars.count()).toBe(4)
    expect(await page.locator('[data-c="importance"] .seed').count()).toBe(4 * 3)
    await shoot('importance')
    const agentCanvases = await inked(page, 'agent')
    expect(agentCanvases).toHaveLength(3 + 3)
    for (const n of agentCanvases) expect(n).toBeGreaterThan(1000)
    const stats = await page.locator('[data-c="agent"] .agent-stats').innerText()
    expect(stats).toMatch(/ensemble spread\s+0\.\d+/)
    await shoot('agent')
  })

  it('diffs only the params that differ', async () => {
    const rows = page.locator('[data-c="diff"] tr.differs')
    expect(await rows.count()).toBeGreaterThan(0)
    expect(await page.locator('[data-c="diff"] td.changed').count()).toBeGreaterThan(0)
    await shoot('diff')
  })

  it("keeps what is typed in the executor's fields when a validation answer re-renders them", async () => {
    const form = page.locator('[data-c="executor"]')
    await form.getByLabel('Executor', { exact: true }).selectOption('slurm')
    const time = form.getByLabel('Slurm time limit', { exact: true })
    await time.fill('1:30')
    await form.getByLabel('CPUs per trial', { exact: true }).fill('4')
    // the answer to an earlier validation arrives before the field loses focus
    await page.evaluate(() =>
      (globalThis as unknown as { setExecutorErrors(e: unknown[]): void }).setExecutorErrors([
        { path: 'executor.memory', rule: 'format', value: 'x', message: 'executor.memory: bad' },
      ]),
    )
    await form.getByText('executor.memory: bad').waitFor()
    expect(await time.inputValue()).toBe('1:30')
    expect(JSON.parse(await page.locator('#executor').innerText())).toEqual({
      kind: 'slurm',
      time: '1:30',
      cpusPerTrial: 4,
    })
  })

  it('keeps a few dozen of 10,000 rows in the DOM, sorts and filters on the "server", selects', async () => {
    const table = page.locator('[data-c="table"]')
    const rows = table.locator('tbody tr[data-trial]')
    expect(await rows.count()).toBeLessThan(100)
    expect(await table.locator('.total').innerText()).toBe(`${TABLE_ROWS} in all`)
    // Inactive (conditional) max_depth is blank.
    const inactive = await table.locator('td.inactive').count()
    expect(inactive).toBeGreaterThan(0)
    // A trial waiting in Slurm's queue reads pending, with its job and Slurm's reason.
    const waiting = table.locator('tr[data-trial="1"]')
    expect(await waiting.locator('.badge').innerText()).toBe('pending')
    expect(await waiting.locator('.badge').getAttribute('title')).toBe(
      "pending (Resources) in Slurm's queue, job 42",
    )
    expect(await waiting.locator('td.note').innerText()).toBe('Slurm job 42, pending (Resources)')
    // Scroll to the end: the last trial is there, the DOM stays small.
    await table.locator('.scroller').evaluate((el) => (el.scrollTop = el.scrollHeight))
    await table.locator(`tr[data-trial="${TABLE_ROWS - 1}"]`).waitFor()
    expect(await rows.count()).toBeLessThan(100)
    // Sort by value, best (max) first.
    await table.getByRole('button', { name: /^accuracy/ }).click()
    await table
      .locator('[data-loading="false"]')
      .or(table.locator('section[data-loading="false"]'))
      .first()
      .waitFor()
    await page.waitForTimeout(200)
    const firstValue = Number(await rows.first().locator('td.num').first().innerText())
    expect(firstValue).toBeGreaterThanOrEqual(0.949)
    // Filter by state.
    await table.getByRole('button', { name: 'failed', exact: true }).click()
    await expect.poll(() => totalText(page)).toBe('200 match')
    for (const state of await table.locator('tbody tr[data-trial] .badge').allInnerTexts())
      expect(state).toBe('failed')
    await table.getByRole('button', { name: 'clear filters' }).click()
    await expect.poll(() => totalText(page)).toBe(`${TABLE_ROWS} in all`)
    // Select: click, ctrl-click.
    await rows.nth(0).click()
    await rows.nth(2).click({ modifiers: ['Control'] })
    expect((await page.locator('#selected').innerText()).split(',')).toHaveLength(2)
    await shoot('table')
    expect(problems).toEqual([])
  })
})
