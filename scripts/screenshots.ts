// `npm run screenshots`: every picture README and docs show, from real studies. Runs the studies below through the
// real `hpo-studio run` into a temporary database (one of them still running while the pictures are taken),
// starts `hpo-studio serve` on it, opens each view in Chromium through playwright-core, waits until its
// charts are drawn and writes docs/screenshots/NAME.png. Nothing here is a fixture: every trial trained or
// ran for real. A new picture is one entry in VIEWS (and one in STUDIES if it needs another study), shown
// by a page (test/repo/screenshots.test.ts checks both).
//
// Takes a few minutes (under 2 on the 2-core VM, December 2026). Options: --keep (leave the temp database), --only NAME,NAME.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Page } from 'playwright-core'
import { build } from 'vite'
import { parse, stringify } from 'yaml'
import { openStudyStore } from '../src/main/store/openStudyStore.ts'
import type { StudyStore } from '../src/main/store/studyStore.ts'
import { fileContext, loadStudyFile, resolveSpecPaths } from '../src/main/files/studyFile.ts'
import { isBetter } from '../src/shared/study.ts'
import { parseStudySpec, studySpecToRaw } from '../src/shared/studySpec.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const BIN = path.join(ROOT, 'bin/hpo-studio.mjs')
const OUT = path.join(ROOT, 'docs/screenshots')
const CHROMIUM = process.env.HPO_CHROMIUM ?? '/usr/bin/chromium'

interface StudySetup {
  /** A study file of the repository (its paths are relative to it). */
  file: string
  /** Keys replaced in that file (name first: it is how views find the study); `undefined` removes one. */
  with?: Record<string, unknown>
  /** A data set of the repository replacing the objective's (a template's `data/train.csv`). */
  dataset?: string
  /** Run while the views are taken (the live study view), not before. */
  live?: boolean
}

/** The studies the pictures show: each one a real `hpo-studio run`. */
const STUDIES: StudySetup[] = [
  { file: 'examples/branin.yaml' }, // branin-demo: 40 TPE trials
  { file: 'examples/branin.yaml', with: { name: 'branin-random', tuner: { kind: 'random' } } },
  { file: 'examples/command.yaml' }, // command-demo: a program as objective, median pruning
  {
    file: 'resources/templates/xgboost-sample.yaml',
    with: {
      name: 'wdbc-mbrl',
      tuner: { kind: 'mbrl' },
      pruner: { kind: 'none' },
      budget: { trials: 60 },
      seed: 0,
    },
  },
  {
    // 3,000 random trials replayed from the shipped HPOBench table (about a minute): the parallel
    // coordinates at scale.
    file: 'resources/templates/tabular-hpobench-blood.yaml',
    with: {
      name: 'blood-random-3000',
      tuner: { kind: 'random' },
      budget: { trials: 3000 },
      seed: 0,
    },
  },
  {
    // Two objectives: accuracy against training seconds, three NSGA-II generations of 8.
    file: 'resources/templates/xgboost-accuracy-time.yaml',
    dataset: 'resources/datasets/vehicle.csv',
    with: {
      name: 'vehicle-accuracy-time',
      tuner: { kind: 'nsga2', populationSize: 8 },
      budget: { trials: 24 },
      seed: 0,
    },
  },
  {
    // The constrained template (model JSON at most 2 MB) with training seconds as a second objective,
    // so that its front can be drawn with the infeasible trials marked.
    file: 'resources/templates/xgboost-constrained.yaml',
    dataset: 'resources/datasets/vehicle.csv',
    with: {
      name: 'vehicle-constrained',
      direction: undefined,
      metric: undefined,
      objectives: [
        { name: 'accuracy', direction: 'maximize' },
        { name: 'train_seconds', direction: 'minimize' },
      ],
      budget: { trials: 24 },
      seed: 0,
    },
  },
  {
    file: 'examples/xgboost.yaml',
    with: { name: 'vehicle-xgb', budget: { trials: 60 } },
    live: true,
  },
]

interface ViewContext {
  page: Page
  /** The served app's base URL, ending in `/`. */
  base: string
  store: StudyStore
  studyId(name: string): number
  goto(hash: string): Promise<void>
}

interface View {
  name: string
  /** Navigates and waits for the view's own content; canvases are then awaited until drawn. */
  open(v: ViewContext): Promise<void>
}

/** Finished trials of a study, best first. */
function bestTrials(v: ViewContext, name: string, n: number): number[] {
  const study = v.store.getStudy(name)!
  const done = v.store.listTrials(study.id, ['complete']).filter((t) => t.value !== null)
  const dir = study.spec.direction
  done.sort((a, b) => (isBetter(dir, a.value!, b.value!) ? -1 : 1))
  return done.slice(0, n).map((t) => t.number)
}

/** A tab of a study's view, once the tab is ready and `shows` (a selector of its own content) is drawn. */
function tabView(name: string, study: string, tab: string, shows: string): View {
  return {
    name,
    async open(v) {
      await v.goto(`#/study/${v.studyId(study)}/${tab}`)
      await v.page
        .locator(`.study-view[data-tab="${tab}"][data-ready="true"]`)
        .waitFor({ timeout: 60_000 })
      await v.page.locator(shows).first().waitFor({ timeout: 120_000 })
    },
  }
}

/** The pictures README and docs show, in the order they are taken. */
const VIEWS: View[] = [
  {
    name: 'study-view',
    async open(v) {
      // The XGBoost study is still running: trials arrive while the picture is taken.
      await until('vehicle-xgb to have 15 finished trials', 300_000, () => {
        const s = v.store.getStudy('vehicle-xgb')
        return !!s && v.store.listTrials(s.id, ['complete', 'pruned', 'failed']).length >= 15
      })
      await v.goto(`#/study/${v.studyId('vehicle-xgb')}`)
      await v.page.locator('.study-view[data-ready="true"]').waitFor({ timeout: 60_000 })
    },
  },
  {
    name: 'study-manager',
    async open(v) {
      await v.goto('#/')
      await until('every study listed', 30_000, async () => {
        return (await v.page.locator('tr[data-study]').count()) === STUDIES.length
      })
    },
  },
  {
    name: 'new-study',
    async open(v) {
      await v.goto('#/new?template=xgboost-sample')
      await v.page.getByLabel('Data set summary').waitFor({ timeout: 30_000 })
    },
  },
  {
    name: 'search-space-editor',
    async open(v) {
      await v.goto('#/new?template=xgboost-paper')
      await v.page.getByLabel('Data set summary').waitFor({ timeout: 30_000 })
      await v.page.getByRole('button', { name: /^Preview \d+ configurations/ }).click()
      await v.page
        .getByRole('table', { name: 'Sampled configurations' })
        .waitFor({ timeout: 30_000 })
    },
  },
  // The RL study's Agent tab: the policy per hyperparameter, KL against δ.
  tabView('study-view-rl', 'wdbc-mbrl', 'agent', '.agent-panel .param-chart'),
  {
    name: 'trial-page',
    async open(v) {
      const study = v.store.getStudy('command-demo')!
      const pruned = v.store.listTrials(study.id, ['pruned'])
      const number = pruned.length
        ? pruned[pruned.length - 1].number
        : bestTrials(v, study.name, 1)[0]
      await v.goto(`#/study/${study.id}/trial/${number}`)
      await v.page.locator('.trial-page[data-ready="true"]').waitFor({ timeout: 30_000 })
    },
  },
  {
    name: 'study-compare',
    async open(v) {
      await v.goto(`#/compare?ids=${v.studyId('branin-demo')},${v.studyId('branin-random')}`)
      await v.page.locator('.study-compare[data-ready="true"]').waitFor({ timeout: 30_000 })
      // Regret against Branin's known minimum on a log axis: the two tuners apart at every trial.
      await v.page.getByLabel('regret').check()
      await v.page.getByLabel('log y').check()
    },
  },
  {
    name: 'trial-comparison',
    async open(v) {
      await until('vehicle-xgb to finish', 600_000, () => {
        return v.store.getStudy('vehicle-xgb')?.state === 'finished'
      })
      const best = bestTrials(v, 'vehicle-xgb', 3)
      // The Trials tab with the three best selected: the table and the trials side by side.
      await v.goto(`#/study/${v.studyId('vehicle-xgb')}/trials?sel=${best.join(',')}`)
      await v.page
        .locator('.study-view[data-tab="trials"][data-ready="true"]')
        .waitFor({ timeout: 60_000 })
      await v.page
        .locator('[data-section="comparison"] .compare-block')
        .waitFor({ timeout: 30_000 })
    },
  },
  // The Analysis tab: every plot and the table under one filter, importance last.
  tabView('study-analysis', 'vehicle-xgb', 'analysis', '.importance-bars li[data-param]'),
  // The same tab on 3,000 trials: the parallel coordinates' best lines on top, their colour bar.
  tabView(
    'analysis-3000-trials',
    'blood-random-3000',
    'analysis',
    '.importance-bars li[data-param]',
  ),
  // The Plots tab of the studies with two objectives: the Pareto front and the best trials.
  tabView('pareto-accuracy-time', 'vehicle-accuracy-time', 'plots', '[data-chart="pareto"] canvas'),
  tabView('pareto-constrained', 'vehicle-constrained', 'plots', '[data-chart="pareto"] canvas'),
  tabView('study-export', 'vehicle-xgb', 'export', '.export-tab pre[data-language]'),
  {
    name: 'settings',
    async open(v) {
      await v.goto('#/settings')
      await v.page.locator('.view input, .view select').first().waitFor({ timeout: 30_000 })
    },
  },
]

async function until(
  what: string,
  ms: number,
  check: () => boolean | Promise<boolean>,
): Promise<void> {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

/** Waits until every visible canvas has ink and stops changing (charts drawn, animations over). */
async function chartsDrawn(page: Page, view: string): Promise<void> {
  const ink = (): Promise<number[]> =>
    page.evaluate(`[...document.querySelectorAll('canvas')]
      .filter((c) => c.offsetParent !== null && c.width > 0 && c.height > 0)
      .map((c) => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data
        let n = 0
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++
        return n
      })`)
  let last = ''
  await until(`the charts of ${view} to be drawn`, 60_000, async () => {
    const now = await ink()
    const key = now.join(',')
    const settled = now.every((n) => n > 0) && key === last
    last = key
    if (!settled) await new Promise((r) => setTimeout(r, 300))
    return settled
  })
}

const children: ChildProcess[] = []
function hpoStudio(args: string[]): ChildProcess {
  // `run` prints a line per trial: not needed here (its exit code and stderr are).
  const stdout = args[0] === 'run' ? 'ignore' : 'pipe'
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', stdout, 'pipe'] })
  children.push(child)
  return child
}

function finished(child: ChildProcess, what: string): Promise<void> {
  let err = ''
  child.stderr!.on('data', (d) => (err += d))
  return new Promise((resolve, reject) =>
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${what} exited ${code}: ${err.slice(-2000)}`)),
    ),
  )
}

/** The study file to run: the repository's own, or a copy with some keys replaced (paths made absolute). */
function studyFile(setup: StudySetup, dir: string): { file: string; name: string } {
  const source = path.join(ROOT, setup.file)
  if (!setup.with && !setup.dataset) {
    const loaded = loadStudyFile(source)
    if (!loaded.ok)
      throw new Error(`${setup.file}: ${loaded.errors.map((e) => e.message).join('; ')}`)
    return { file: source, name: loaded.value.name }
  }
  const raw = { ...(parse(readFileSync(source, 'utf8')) as Record<string, unknown>), ...setup.with }
  for (const [key, value] of Object.entries(raw)) if (value === undefined) delete raw[key]
  if (setup.dataset)
    raw.objective = { ...(raw.objective as object), dataset: path.join(ROOT, setup.dataset) }
  const baseDir = path.dirname(source)
  const parsed = parseStudySpec(raw, fileContext(baseDir))
  if (!parsed.ok)
    throw new Error(`${setup.file}: ${parsed.errors.map((e) => e.message).join('; ')}`)
  const spec = resolveSpecPaths(parsed.value, baseDir)
  const file = path.join(dir, `${spec.name}.yaml`)
  writeFileSync(file, stringify(studySpecToRaw(spec)))
  return { file, name: spec.name }
}

function startServe(db: string): Promise<{ child: ChildProcess; url: string }> {
  const child = hpoStudio(['serve', '--db', db, '--port', '0'])
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d) => {
      out += d
      const url = out.match(/^(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/m)?.[1]
      if (url) resolve({ child, url })
    })
    child.on('close', (code) => reject(new Error(`serve exited ${code} before printing its URL`)))
  })
}

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : null
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hpo-screenshots-'))
  const db = path.join(dir, 'studies.sqlite')
  console.log(`building the UI, then running ${STUDIES.length} studies into ${db}`)
  await build({ configFile: path.join(ROOT, 'vite.renderer.config.ts'), logLevel: 'warn' })

  const files = STUDIES.map((s) => ({ ...studyFile(s, dir), live: Boolean(s.live) }))
  for (const s of files.filter((f) => !f.live)) {
    const t0 = Date.now()
    await finished(hpoStudio(['run', s.file, '--db', db]), `hpo-studio run ${s.name}`)
    console.log(`  ${s.name}: ${((Date.now() - t0) / 1000).toFixed(0)} s`)
  }
  const serve = await startServe(db)
  const liveRuns = files
    .filter((f) => f.live)
    .map((s) => finished(hpoStudio(['run', s.file, '--db', db]), `hpo-studio run ${s.name}`))
  const store = openStudyStore(db)
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  })
  try {
    const page = await (
      await browser.newContext({ viewport: { width: 1360, height: 900 } })
    ).newPage()
    const problems: string[] = []
    page.on('pageerror', (e) => problems.push(e.message))
    await page.goto(serve.url)
    const base = serve.url.split('?')[0]
    const v: ViewContext = {
      page,
      base,
      store,
      studyId: (name) => {
        const s = store.getStudy(name)
        if (!s) throw new Error(`no study "${name}" in ${db}`)
        return s.id
      },
      // A fresh page per view: a hash change alone would keep the last view's state.
      goto: async (hash) => {
        await page.goto('about:blank')
        await page.goto(`${base}${hash}`)
      },
    }
    mkdirSync(OUT, { recursive: true })
    for (const view of VIEWS.filter((x) => !only || only.includes(x.name))) {
      await view.open(v)
      await chartsDrawn(page, view.name)
      const file = path.join(OUT, `${view.name}.png`)
      await page.screenshot({ path: file, fullPage: true })
      console.log(`  ${path.relative(ROOT, file)} (${(statSync(file).size / 1024).toFixed(0)} KiB)`)
    }
    if (problems.length) throw new Error(`the page reported errors:\n${problems.join('\n')}`)
    await Promise.all(liveRuns)
  } finally {
    await browser.close()
    store.close()
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM')
    if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true })
  }
}

await main()
