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
import { createFixtureStudies, createFixtureStudy, fillStudy } from '../helpers/analysisFixtures.ts'

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
    const one = createFixtureStudy(store, {
      name: 'one-trial',
      direction: 'minimize',
      objective: { kind: 'synthetic', function: 'branin' },
    })
    store.finishTrial(
      store.createTrial(one.id, { state: 'running', params: { x1: 1, x2: 2 } }).id,
      {
        state: 'complete',
        value: 0.00012345,
      },
    )
    const few = createFixtureStudy(store, {
      name: 'three-trials',
      direction: 'minimize',
      objective: { kind: 'synthetic', function: 'branin' },
    })
    for (const value of [5, null, 3]) {
      const t = store.createTrial(few.id, { state: 'running', params: { x1: 1, x2: 2 } })
      store.finishTrial(
        t.id,
        value === null
          ? { state: 'failed', value: null, error: 'boom' }
          : { state: 'complete', value },
      )
    }
    const syntheticTrials = store.listTrials(f.synthetic.id)
    const close = createFixtureStudy(store, {
      name: 'close-floats',
      direction: 'minimize',
      objective: { kind: 'command', run: ['python3', 'train.py'] },
      space: {
        lr: { type: 'float', low: 0.01, high: 1 },
        layers: { type: 'int', low: 1, high: 4 },
      },
    })
    for (const [lr, layers, value] of [
      [0.1234561, 2, 0.5000001],
      [0.1234569, 2, 0.5000004],
      [0.5, 3, 0.7],
    ] as const) {
      const t = store.createTrial(close.id, { state: 'running', params: { lr, layers } })
      for (let step = 1; step <= 4; step++) store.addIntermediate(t.id, step, value + 1 / step)
      store.finishTrial(t.id, { state: 'complete', value })
    }
    const big = createFixtureStudy(store, {
      name: 'three-thousand',
      direction: 'maximize',
      metric: 'accuracy',
      objective: { kind: 'command', run: ['python3', 'train.py'] },
      space: {
        optimizer: { type: 'categorical', choices: ['adam', 'sgd', 'rmsprop'] },
        learning_rate: { type: 'float', low: 1e-5, high: 0.1, log: true },
        momentum: { type: 'float', low: 0, high: 0.99, when: { optimizer: ['sgd'] } },
        hidden_layers: { type: 'int', low: 1, high: 8 },
        units_per_layer: { type: 'int', low: 16, high: 512, log: true },
        dropout_rate: { type: 'float', low: 0, high: 0.5 },
        weight_decay: { type: 'float', low: 1e-6, high: 1e-2, log: true },
      },
    })
    fillStudy(store, big, {
      trials: 3000,
      value: (p, r) =>
        0.95 -
        0.03 * (Math.log10(Number(p.learning_rate)) + 3) ** 2 -
        0.1 * Number(p.dropout_rate) ** 2 +
        0.01 * r.normal(),
    })
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
      historyDown: await analysis.studyHistory(ctx, f.synthetic.id, { maxPoints: 12 }),
      historyDownComplete: syntheticTrials.filter((t) => t.state === 'complete').length,
      historyOne: await analysis.studyHistory(ctx, one.id),
      historyFew: await analysis.studyHistory(ctx, few.id),
      curvesAll: await analysis.learningCurves(ctx, f.synthetic.id, { all: true }),
      curvesAllExpected: {
        trials: syntheticTrials.length,
        pruned: syntheticTrials.filter((t) => t.state === 'pruned').length,
      },
      curves: await analysis.learningCurves(ctx, f.gbdt.id, { top: 10 }),
      points: analysis.paramPoints(ctx, f.gbdt.id),
      slice: analysis.sliceData(ctx, f.gbdt.id, 'eta'),
      sliceCat: analysis.sliceData(ctx, f.gbdt.id, 'booster'),
      contour: analysis.contourData(ctx, f.gbdt.id, 'eta', 'lambda'),
      importance: await analysis.studyImportance(ctx, f.gbdt.id, { nTrees: 32 }),
      comparison: await analysis.compareTrials(ctx, f.command.id, compared),
      closeComparison: await analysis.compareTrials(ctx, close.id, [0, 1, 2]),
      agent: analysis.agentTimeline(ctx, f.cnn.id),
      tableParams: store.getStudy(f.gbdt.id)!.spec.space.params,
      pointsBig: analysis.paramPoints(ctx, big.id, { maxTrials: 4000 }),
      // A small radius leaves some cells with no trial near: not explored.
      contourBig: analysis.contourData(ctx, big.id, 'learning_rate', 'momentum', {
        maxTrials: 4000,
        radius: 0.03,
      }),
      paramsBig: big.spec.space.params,
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

interface ChartProbe {
  labels: string[]
  colors: string[]
  ticks: Record<string, string[]>
  bottoms: Record<string, number>
  spans: Record<string, [number, number]>
  points: { x: number; y: number }[][]
}
/** What Chart.js drew in the n-th canvas of a section: dataset labels, tick labels, point pixels. */
const probe = (page: Page, section: string, n = 0): Promise<ChartProbe> =>
  page.evaluate(
    ([s, k]) =>
      (globalThis as unknown as { chartProbe(s: string, n: number): ChartProbe }).chartProbe(
        s as string,
        k as number,
      ),
    [section, n] as const,
  )

/** Total alpha drawn on the first canvas of a section (fainter lines, less of it). */
async function alphaSum(page: Page, section: string): Promise<number> {
  return page.evaluate(`(() => {
    const c = document.querySelector('[data-c="${section}"] canvas')
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data
    let n = 0
    for (let i = 3; i < data.length; i += 4) n += data[i]
    return n
  })()`)
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

  it('counts every trial in the legend of a downsampled history, not the points drawn', async () => {
    const f = (await page.evaluate('fetch("/fixture.json").then((r) => r.json())')) as {
      historyDownComplete: number
      historyDown: { complete: unknown[]; downsampled: boolean }
    }
    expect(f.historyDown.downsampled).toBe(true)
    expect(f.historyDown.complete.length).toBeLessThan(f.historyDownComplete)
    const { labels } = await probe(page, 'history-down')
    expect(labels).toContain(`complete (${f.historyDownComplete})`)
  })

  it('gives a one-point chart distinct ticks, whole trial numbers, and failed trials a strip of their own', async () => {
    const one = await probe(page, 'history-one')
    expect(new Set(one.ticks.y).size).toBe(one.ticks.y.length)
    expect(one.ticks.y.length).toBeGreaterThan(1)
    const few = await probe(page, 'history-few')
    for (const t of few.ticks.x) expect(t).toMatch(/^\d*$/)
    // The failed trial is drawn below the value axis, not at its minimum.
    const failed = few.points[few.labels.findIndex((l) => l.startsWith('failed'))]
    expect(failed).toHaveLength(1)
    expect(failed[0].y).toBeGreaterThan(few.bottoms.y)
    await shoot('history-few')
    expect(problems).toEqual([])
  })

  it('draws every curve of a small study under "all", pruned ones marked where they were cut', async () => {
    const f = (await page.evaluate('fetch("/fixture.json").then((r) => r.json())')) as {
      curvesAllExpected: { trials: number; pruned: number }
    }
    const caption = await page.locator('[data-c="curves-all"] figcaption').innerText()
    expect(caption).toContain(`${f.curvesAllExpected.trials} trials`)
    expect(caption).toContain(`${f.curvesAllExpected.pruned} pruned`)
    const { labels } = await probe(page, 'curves-all')
    expect(labels.filter((l) => /\(pruned at step \d+\)$/.test(l))).toHaveLength(
      f.curvesAllExpected.pruned,
    )
    await shoot('curves-all')
  })

  it('shows pruned and failed trials apart in the history, and can hide them', async () => {
    const sec = page.locator('[data-c="history-min"]')
    const kinds = async () =>
      (await probe(page, 'history-min')).labels.map((l) => l.replace(/ \(\d+\)$/, '')).sort()
    expect(await kinds()).toEqual(['best so far', 'complete', 'failed', 'pruned'])
    await sec.getByLabel('pruned').uncheck()
    await sec.getByLabel('failed').uncheck()
    await page.waitForTimeout(100)
    expect(await kinds()).toEqual(['best so far', 'complete'])
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

  it('filters by brushing an axis of the parallel coordinates, and clears the brush', async () => {
    const canvas = page.locator('[data-c="parallel"] canvas')
    await canvas.scrollIntoViewIfNeeded()
    const box = (await canvas.boundingBox())!
    // The first axis (booster) sits at the left margin (64 px); drag from its top over its upper part.
    await page.mouse.move(box.x + 64, box.y + 30)
    await page.mouse.down()
    await page.mouse.move(box.x + 64, box.y + 120, { steps: 4 })
    await page.mouse.up()
    const filter = JSON.parse(await page.locator('#filter').innerText()) as {
      paramChoices?: Record<string, unknown[]>
    }
    expect(filter.paramChoices?.booster).toEqual(['gblinear'])
    const passing = await page.locator('[data-c="parallel"] .brushed').innerText()
    const total = await page.locator('[data-c="parallel"] figcaption .muted').first().innerText()
    expect(Number(passing.split(' ')[0])).toBeGreaterThan(0)
    expect(Number(passing.split(' ')[0])).toBeLessThan(Number(total.split(' ')[0]))
    await shoot('parallel')
    await page.locator('[data-c="parallel"]').getByRole('button', { name: 'Clear brush' }).click()
    expect(await page.locator('#filter').innerText()).toBe('{}')
  })

  it('keeps 3,000 lines readable: best on top, an opacity control, a colour bar, every axis title visible', async () => {
    const sec = page.locator('[data-c="parallel-big"]')
    await sec.scrollIntoViewIfNeeded()
    const fixture = (await page.evaluate('fetch("/fixture.json").then((r) => r.json())')) as {
      pointsBig: { numbers: number[]; values: number[] }
    }
    const { numbers, values } = fixture.pointsBig
    expect(numbers).toHaveLength(3000)
    const best = numbers[values.indexOf(Math.max(...values))]
    expect(await sec.locator('figure').getAttribute('data-top-trial')).toBe(String(best))
    // The colour bar names the worst and the best value.
    const bar = await sec.locator('.colorbar').innerText()
    expect(bar).toContain('high is good')
    // Every axis title is shown whole or with a tooltip, and no two collide.
    const titles = sec.locator('.axis-title')
    expect(await titles.count()).toBe(8)
    const boxes = await titles.evaluateAll((els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect()
        return { l: r.left, r: r.right, t: r.top, b: r.bottom, title: e.getAttribute('title') }
      }),
    )
    for (const [i, a] of boxes.entries())
      for (const b of boxes.slice(i + 1))
        expect(
          a.r <= b.l || b.r <= a.l || a.b <= b.t || b.b <= a.t,
          `${a.title} / ${b.title}`,
        ).toBe(true)
    expect(boxes.map((b) => b.title)).toContain('units_per_layer (log)')
    // Opacity: fainter lines, less ink.
    const before = await alphaSum(page, 'parallel-big')
    await sec.getByLabel('line opacity').fill('0.03')
    await page.waitForTimeout(200)
    expect(await alphaSum(page, 'parallel-big')).toBeLessThan(before * 0.8)
    await sec.getByLabel('line opacity').fill('0.12')
    await page.waitForTimeout(200)
    await shoot('parallel-big')
  })

  it('draws every trial of a rank plot, whose parameters come unsorted, inside its axes', async () => {
    const rows = (await page.evaluate('fetch("/fixture.json").then((r) => r.json())')) as {
      rows: TrialRow[]
    }
    const etas = rows.rows
      .filter((r) => r.state === 'complete')
      .slice(0, 200)
      .map((r) => r.params.eta as number)
    const { spans } = await probe(page, 'rank')
    expect(spans.x[0]).toBeLessThanOrEqual(Math.min(...etas))
    expect(spans.x[1]).toBeGreaterThanOrEqual(Math.max(...etas))
    await shoot('rank')
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

  it('compares floats that differ past five digits with the digits, in the colours of their curves', async () => {
    const sec = page.locator('[data-c="compare-close"]')
    const lr = await sec.locator('tr[data-param="lr"] td').allInnerTexts()
    expect(lr).toEqual(['0.123456', '0.123457', '0.5'])
    const values = await sec.locator('tr.value-row td').allInnerTexts()
    expect(new Set(values.map((v) => v.replace(' ★', ''))).size).toBe(3)
    const swatches = await sec
      .locator('thead th[data-trial] .swatch')
      .evaluateAll((els) =>
        els.map((e) => (e as unknown as { style: { background: string } }).style.background),
      )
    const curves = await probe(page, 'compare-close')
    const rgb = (hex: string) =>
      `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`
    expect(curves.colors.map(rgb)).toEqual(swatches)
    await shoot('compare-close')
  })

  it('reads a contour at scale: thinned markers, unexplored cells hatched, the best starred, a log colour scale', async () => {
    const fixture = (await page.evaluate('fetch("/fixture.json").then((r) => r.json())')) as {
      contourBig: { points: { numbers: number[]; values: number[] }; z: (number | null)[][] }
    }
    const { numbers, values } = fixture.contourBig.points
    expect(numbers.length).toBeGreaterThan(400)
    const sec = page.locator('[data-c="contour-big"]')
    await sec.scrollIntoViewIfNeeded()
    const caption = await sec.locator('figcaption').innerText()
    const shown = Number(/\((\d+) markers: the best of each patch\)/.exec(caption)?.[1])
    expect(shown).toBeGreaterThan(50)
    expect(shown).toBeLessThan(numbers.length)
    expect(fixture.contourBig.z.flat().some((z) => z === null)).toBe(true)
    expect(await sec.getByText('not explored (no trial nearby)').count()).toBe(1)
    const best = numbers[values.indexOf(Math.max(...values))]
    expect(await sec.locator('[data-best-trial]').getAttribute('data-best-trial')).toBe(
      String(best),
    )
    const before = await alphaSum(page, 'contour-big')
    const pixels = () =>
      page.evaluate(`(() => {
        const c = document.querySelector('[data-c="contour-big"] canvas')
        return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data.slice(0, 400000)).join(',')
      })()`)
    const linear = await pixels()
    await sec.getByLabel('log colour').check()
    await page.waitForTimeout(100)
    expect(await pixels()).not.toBe(linear)
    expect(before).toBeGreaterThan(0)
    await shoot('contour-big')
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
