// `npm run bench -- ui [--trials N] [--steps S] [--reps R]`: the UI on a study of 10,000 trials × 100
// intermediate values (an MBRL study: agent snapshots, a conditional and a log parameter), served by
// `serve` and measured in Chromium: navigation → the study view's first complete render (its Overview
// tab), → the Analysis tab (parallel coordinates, history, slice, contour and the table; importance
// arrives later from its own worker), a filter change of the trial table; and the API's payload sizes
// and server times. Baseline, measured in the same run: the same views of a 100-trial study of the same shape.
import os from 'node:os'
import path from 'node:path'
import { mkdtempSync, rmSync } from 'node:fs'
import { chromium, type Page } from 'playwright-core'
import { build } from 'vite'
import { rendererViteConfig } from '../electron.vite.config.ts'
import { createRunnerHub } from '../src/main/runner/runnerHub.ts'
import { startServer } from '../src/main/server/startServer.ts'
import { openStudyStore } from '../src/main/store/openStudyStore.ts'
import type { StudyStore } from '../src/main/store/studyStore.ts'
import { createNodeChildHost } from '../src/main/workers/nodeChildHost.ts'
import {
  agentSnapshotFor,
  createFixtureStudy,
  fillStudy,
} from '../test/helpers/analysisFixtures.ts'
import { median, writeBenchResult } from './benchUtil.ts'

const CHROMIUM = process.env.HPO_CHROMIUM ?? '/usr/bin/chromium'
const TARGET_MS = 1000

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name)
  return i >= 0 ? Number(args[i + 1]) : fallback
}

function makeStudy(store: StudyStore, name: string, trials: number, steps: number): number {
  const study = createFixtureStudy(store, {
    name,
    direction: 'maximize',
    metric: 'accuracy',
    objective: { kind: 'command', run: ['python3', 'train.py'] },
    space: {
      optimizer: { type: 'categorical', choices: ['adam', 'sgd', 'rmsprop'] },
      lr: { type: 'float', low: 1e-5, high: 0.1, log: true },
      momentum: { type: 'float', low: 0, high: 0.99, when: { optimizer: ['sgd'] } },
      layers: { type: 'int', low: 1, high: 8 },
      units: { type: 'int', low: 16, high: 512, log: true },
      dropout: { type: 'float', low: 0, high: 0.5 },
    },
    tuner: { kind: 'mbrl' },
    budget: { trials },
  })
  fillStudy(store, study, {
    trials,
    steps,
    pruneRate: 0.1,
    failRate: 0.02,
    agent: agentSnapshotFor,
    value: (p, rng) =>
      0.95 -
      0.03 * (Math.log10(Number(p.lr)) + 3) ** 2 -
      0.01 * Math.abs(Number(p.layers) - 4) -
      0.1 * Number(p.dropout) ** 2 +
      0.01 * rng.normal(),
  })
  store.setStudyState(study.id, 'finished')
  return study.id
}

// Page-side code is passed as text: this file is type-checked for Node, without the DOM.
const NEXT_FRAME = 'new Promise((r) => requestAnimationFrame(() => r(performance.now())))'

/** API calls since `t0` (page time): method → [start, end] relative to t0, in ms. */
const API_CALLS = (t0: number) => `performance.getEntriesByType('resource')
  .filter((e) => e.name.includes('/api/') && e.startTime >= ${t0})
  .map((e) => [e.name.split('/api/')[1], Math.round(e.startTime - ${t0}), Math.round(e.responseEnd - ${t0})])`

/** Milliseconds from setting the hash to `selector` matching and the next frame, measured inside the page. */
async function timeNavigation(
  page: Page,
  hash: string,
  selector: string,
  calls?: [string, number, number][][],
): Promise<number> {
  await page.evaluate("location.hash = '#/settings'")
  await page.waitForSelector('.top-nav')
  await page.waitForTimeout(150)
  const t0 = await page.evaluate<number>(
    `(() => { performance.clearResourceTimings(); const t = performance.now(); location.hash = ${JSON.stringify(hash)}; return t })()`,
  )
  await page.waitForSelector(selector, { timeout: 60_000 })
  const t1 = await page.evaluate<number>(NEXT_FRAME)
  calls?.push(await page.evaluate<[string, number, number][]>(API_CALLS(t0)))
  return t1 - t0
}

const tableSettled = (notTotal: string | null): string =>
  `(() => { const el = document.querySelector('.trial-table'); return el?.getAttribute('data-loading') === 'false'` +
  (notTotal === null
    ? ''
    : ` && el.querySelector('.total')?.textContent !== ${JSON.stringify(notTotal)}`) +
  ' })()'

/** Polls a page-side expression from Node (waitForFunction would eval inside the page, which the CSP forbids). */
async function until(page: Page, expression: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms
  while (!(await page.evaluate<boolean>(expression))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${expression}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

async function timeFilter(page: Page): Promise<number> {
  const table = page.locator('.trial-table')
  const chip = table.getByRole('button', { name: 'pruned', exact: true })
  const before = await table.locator('.total').innerText()
  const t0 = await page.evaluate<number>('performance.now()')
  await chip.click()
  await until(page, tableSettled(before))
  const t1 = await page.evaluate<number>(NEXT_FRAME)
  await chip.click()
  await until(page, tableSettled(null))
  return t1 - t0
}

export default async function (args: string[]): Promise<void> {
  const trials = arg(args, '--trials', 10_000)
  const steps = arg(args, '--steps', 100)
  const reps = arg(args, '--reps', 5)
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hpo-bench-ui-'))
  const store = openStudyStore(path.join(dir, 'studies.sqlite'))
  const hub = createRunnerHub({
    store,
    workers: createNodeChildHost(),
    holder: { pid: process.pid, host: os.hostname() },
  })
  try {
    let t = performance.now()
    const bigId = makeStudy(store, 'big', trials, steps)
    const smallId = makeStudy(store, 'small', 100, steps)
    const fillSeconds = (performance.now() - t) / 1000
    console.log(`filled ${trials} + 100 trials × ${steps} steps in ${fillSeconds.toFixed(1)} s`)
    t = performance.now()
    const rendererDir = path.join(dir, 'renderer')
    await build({
      ...rendererViteConfig,
      configFile: false,
      logLevel: 'warn',
      build: { ...rendererViteConfig.build, outDir: rendererDir },
    })
    console.log(`built the renderer in ${((performance.now() - t) / 1000).toFixed(1)} s`)
    const server = await startServer({
      store,
      hub,
      port: 0,
      rendererDir,
      datasetDir: path.join(dir, 'datasets'),
      followIntervalMs: 0,
    })

    // Server side: time and size of every call the two views make.
    const calls: [string, string, unknown[]][] = [
      ['getStudy', 'getStudy', [bigId]],
      ['getStudyLive', 'getStudyLive', [bigId]],
      ['getHistoryView', 'getHistoryView', [bigId]],
      ['getLearningCurves top 10', 'getLearningCurves', [bigId, { top: 10 }]],
      ['getLearningCurves all', 'getLearningCurves', [bigId, { all: true }]],
      ['getAgentTimeline', 'getAgentTimeline', [bigId]],
      ['listTrials page of 200', 'listTrials', [bigId, { offset: 0, limit: 200 }]],
      [
        'listTrials filtered',
        'listTrials',
        [bigId, { states: ['pruned'], sort: { by: 'value', desc: true }, offset: 0, limit: 200 }],
      ],
      ['getParamPoints', 'getParamPoints', [bigId]],
      [
        'getParamPoints filtered',
        'getParamPoints',
        [bigId, { filter: { paramRanges: { lr: { max: 0.001 } } } }],
      ],
      ['getSlice', 'getSlice', [bigId, 'lr']],
      ['getContour', 'getContour', [bigId, 'lr', 'units']],
      ['getImportance', 'getImportance', [bigId]],
      ['compareTrials 3', 'compareTrials', [bigId, [1, 2, 3]]],
    ]
    const api: Record<string, { ms: number; bytes: number }> = {}
    for (const [label, method, a] of calls) {
      const times: number[] = []
      let bytes = 0
      for (let r = 0; r < (method === 'getImportance' ? 1 : 3); r++) {
        const t0 = performance.now()
        const res = await server.service.call(method, a)
        times.push(performance.now() - t0)
        if (!res.ok) throw new Error(`${method}: ${res.error.message}`)
        bytes = Buffer.byteLength(JSON.stringify(res))
      }
      api[label] = { ms: Math.round(median(times) * 10) / 10, bytes }
      console.log(
        `${label.padEnd(36)} ${String(api[label].ms).padStart(8)} ms ${String(Math.round(bytes / 1024)).padStart(7)} KiB`,
      )
    }

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    })
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(server.url)
    await page.waitForSelector('.top-nav')

    const views: Record<string, Record<string, number[]>> = { big: {}, small: {} }
    /** The API calls of the last analysis navigation of the big study: where its time went. */
    const analysisCalls: [string, number, number][][] = []
    for (const [key, id] of [
      ['big', bigId],
      ['small', smallId],
    ] as const) {
      const v = views[key]
      v.studyView = []
      v.analysis = []
      v.filterChange = []
      for (let r = 0; r < reps; r++) {
        v.studyView.push(
          await timeNavigation(
            page,
            `#/study/${id}`,
            '.study-view[data-tab="overview"][data-ready="true"]',
          ),
        )
        v.analysis.push(
          await timeNavigation(
            page,
            `#/study/${id}/analysis`,
            '.study-view[data-tab="analysis"][data-ready="true"]',
            key === 'big' ? analysisCalls : undefined,
          ),
        )
        v.filterChange.push(await timeFilter(page))
      }
    }
    await browser.close()
    await server.close()

    const summary = (xs: number[]) => ({
      firstMs: Math.round(xs[0]),
      medianMs: Math.round(median(xs)),
      maxMs: Math.round(Math.max(...xs)),
    })
    const result = {
      trials,
      steps,
      reps,
      fillSeconds,
      targetMs: TARGET_MS,
      big: Object.fromEntries(Object.entries(views.big).map(([k, xs]) => [k, summary(xs)])),
      baseline100Trials: Object.fromEntries(
        Object.entries(views.small).map(([k, xs]) => [k, summary(xs)]),
      ),
      ratioVsBaseline: Object.fromEntries(
        Object.keys(views.big).map((k) => [
          k,
          Math.round((median(views.big[k]) / median(views.small[k])) * 100) / 100,
        ]),
      ),
      underTarget: Object.fromEntries(
        Object.entries(views.big).map(([k, xs]) => [k, Math.max(...xs) < TARGET_MS]),
      ),
      api,
      /** The big study's analysis tab, first and last navigation: [method, start ms, end ms]. */
      analysisCalls: { first: analysisCalls[0], last: analysisCalls.at(-1) },
      pageErrors: errors,
      browser:
        'chromium (playwright-core), --no-sandbox --disable-gpu --disable-background-networking',
    }
    console.log(
      JSON.stringify(
        {
          big: result.big,
          baseline100Trials: result.baseline100Trials,
          ratioVsBaseline: result.ratioVsBaseline,
          analysisCalls: result.analysisCalls,
        },
        null,
        2,
      ),
    )
    console.log(`wrote ${writeBenchResult('ui', result)}`)
  } finally {
    await hub.shutdown()
    store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
