// The app in Chromium against `serve` on a real SQLite file with a real RunnerHub: create a study from a
// template, edit its space (an invalid value and its message), start it, watch trials arrive live,
// pause, resume, rename, tag, duplicate, delete; settings; data-set upload; a study run by another process.
import { existsSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseStudySpec } from '../../src/shared/studySpec.ts'
import { openStudyStore } from '../../src/main/store/openStudyStore.ts'
import { CHROMIUM, screenshot, startHarness, type Harness } from './harness.ts'
import { NewStudyPage } from './pages/NewStudyPage.ts'
import { SettingsPage } from './pages/SettingsPage.ts'
import { StudyManagerPage } from './pages/StudyManagerPage.ts'
import { StudyViewPage } from './pages/StudyViewPage.ts'

const haveChromium = existsSync(CHROMIUM)
if (!haveChromium)
  console.warn(
    `e2e skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set HPO_CHROMIUM)`,
  )

let h: Harness
let base: string
const problems: string[] = []

async function waitUntil(
  what: string,
  check: () => Promise<boolean> | boolean,
  ms = 20_000,
): Promise<void> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`)
}

describe.skipIf(!haveChromium)('HPO Studio in Chromium over serve', () => {
  beforeAll(async () => {
    h = await startHarness()
    base = `http://127.0.0.1:${h.server.port}/`
    h.page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
    h.page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text()))
        problems.push(`console: ${m.text()}`)
    })
    await h.page.goto(h.server.url)
  }, 120_000)

  afterAll(async () => {
    await h?.close()
  })

  it('signs in with the token URL and tells a new user what to do first', async () => {
    expect(h.page.url()).toBe(base)
    const manager = new StudyManagerPage(h.page)
    await manager.emptyState().waitFor()
    expect(await manager.emptyState().innerText()).toContain('Branin')
    await screenshot(h.page, 'study-manager-empty')
  })

  it('creates a study from a template after fixing an invalid space', async () => {
    await h.page.keyboard.press('n')
    const form = new NewStudyPage(h.page)
    await h.page.locator('.template-card').first().waitFor()
    await form.pickTemplate('synthetic-branin')
    await form.input('Study name').fill('e2e-branin')
    await form.input('Delay per trial').fill('600')
    await form.input('Delay per trial').blur()
    await form.input('Trials').fill('14')
    await form.input('Concurrency').fill('2')
    await form.input('Tuner').selectOption('random')

    const space = form.space
    await space.logBox('x1').check()
    const message = 'space.x1: low must be > 0 when log is true, got low=-5'
    await h.page.getByText(message, { exact: true }).waitFor()
    expect(await space.field('x1', 'low').getAttribute('class')).toContain('invalid')
    expect(await form.problems().innerText()).toMatch(/1 problem/)
    await screenshot(h.page, 'search-space-editor')
    await space.logBox('x1').uncheck()
    await waitUntil('the message to go', async () => (await space.rowErrors().count()) === 0)

    // rows → text
    await space.field('x2', 'high').fill('12')
    await waitUntil('the text view to follow', async () =>
      (await space.text().inputValue()).includes('high: 12'),
    )
    // text → rows: a parameter the function ignores
    const yaml = (await space.text().inputValue()) + 'noise:\n  type: int\n  low: 1\n  high: 3\n'
    await space.text().fill(yaml)
    await space.row('noise').waitFor()
    expect(await space.field('noise', 'high').inputValue()).toBe('3')
    await space.useJson()
    expect(JSON.parse(await space.text().inputValue()).noise).toEqual({
      type: 'int',
      low: 1,
      high: 3,
    })

    const preview = await space.preview()
    expect(await preview.locator('tbody tr').count()).toBe(20)
    for (const cell of await preview.locator('tbody tr td:nth-child(4)').allInnerTexts())
      expect(['1', '2', '3']).toContain(cell)

    await waitUntil('validation to pass', async () =>
      /ready/.test(await form.problems().innerText()),
    )
    await form.create()
    await h.page.locator('.study-view h1').waitFor()
    expect(await h.page.locator('.study-view h1').innerText()).toContain('e2e-branin')
  })

  it('starts the study and shows trials as they arrive, pauses and resumes', async () => {
    const view = new StudyViewPage(h.page)
    expect(await view.state().innerText()).toBe('created')
    const seen = new Set<number>()
    await view.control('Start')
    // The overview shows the running trials, the Trials tab every trial as it arrives.
    await waitUntil(
      'a running trial',
      async () => (await h.page.locator('.running-trials tbody tr').count()) > 0,
    )
    await waitUntil('3 finished trials', async () => (await view.doneCount()) >= 3)
    // Paused at once: on a loaded machine the 14 short trials could all end before a tab switch.
    await view.control('Pause')
    await view.tab('Trials')
    await waitUntil('rows in the table', async () => (await view.trialRows().count()) >= 3)
    for (const n of await view
      .trialRows()
      .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-trial')))))
      seen.add(n)
    expect(seen.size).toBeGreaterThanOrEqual(3)

    await waitUntil('paused', async () => (await view.state().innerText()) === 'paused')
    await waitUntil(
      'running trials to finish',
      async () => (await h.page.locator('table.trials .state-running').count()) === 0,
    )
    const paused = await view.doneCount()
    await new Promise((r) => setTimeout(r, 800))
    expect(await view.doneCount()).toBe(paused)
    expect(paused).toBeLessThan(14)

    await view.control('Resume')
    await waitUntil('finished', async () => (await view.state().innerText()) === 'finished', 30_000)
    expect(await view.doneCount()).toBe(14)
    await waitUntil('every row', async () => (await view.trialRows().count()) === 14)
    await view.tab('Overview')
    await h.page.waitForTimeout(300)
    await screenshot(h.page, 'study-view')
  })

  it('manages studies: best value, rename, notes and tags, duplicate, delete with confirmation', async () => {
    const manager = new StudyManagerPage(h.page)
    await manager.open(base)
    await manager.row('e2e-branin').waitFor()
    expect(await manager.state('e2e-branin').innerText()).toBe('finished')
    expect(await manager.row('e2e-branin').locator('.best-value').innerText()).toMatch(/^\d/)
    expect(await manager.row('e2e-branin').innerText()).toContain('14 / 14')

    await manager.rename('e2e-branin', 'branin-renamed')
    await manager.row('branin-renamed').waitFor()
    await manager.setNotesAndTags('branin-renamed', 'first try', 'demo, tpe')
    await waitUntil(
      'tags saved',
      async () => (await manager.row('branin-renamed').locator('.tag').count()) === 2,
    )

    await manager.action('branin-renamed', 'Duplicate')
    await manager.row('branin-renamed-copy').waitFor()
    expect(await manager.state('branin-renamed-copy').innerText()).toBe('created')
    await h.page.getByLabel('Filter studies').fill('copy')
    await waitUntil('filter', async () => (await h.page.locator('tr[data-study]').count()) === 1)
    await h.page.getByLabel('Filter studies').fill('')
    await screenshot(h.page, 'study-manager')

    await manager.delete('branin-renamed-copy', false)
    expect(await manager.row('branin-renamed-copy').count()).toBe(1)
    await manager.delete('branin-renamed-copy', true)
    await manager.row('branin-renamed-copy').waitFor({ state: 'detached' })
    expect(h.store.getStudy('branin-renamed-copy')).toBeNull()
    expect(h.store.getStudy('branin-renamed')?.tags).toEqual(['demo', 'tpe'])
  })

  it('follows a study run by another process', async () => {
    const other = openStudyStore(h.store.path)
    try {
      const spec = parseStudySpec({
        name: 'from-cli',
        direction: 'minimize',
        objective: { kind: 'synthetic', function: 'branin' },
      })
      if (!spec.ok) throw new Error('bad spec')
      const id = other.createStudy({ ...spec.value, seed: 1 }).id
      const manager = new StudyManagerPage(h.page)
      await manager.row('from-cli').waitFor({ timeout: 5000 })
      other.setStudyState(id, 'running')
      const t = other.createTrial(id, { state: 'running', params: { x1: 1, x2: 1 } })
      other.finishTrial(t.id, { state: 'complete', value: 3.5 })
      await waitUntil(
        'the other process’s trial',
        async () => (await manager.row('from-cli').innerText()).includes('3.5'),
        5000,
      )
      other.setStudyState(id, 'stopped')
    } finally {
      other.close()
    }
  })

  it('offers the sample data sets, checks a data set when it is uploaded, and refuses a bad one with the reason', async () => {
    const form = new NewStudyPage(h.page)
    await form.open(base, 'xgboost-paper')
    const summary = h.page.getByLabel('Data set summary')
    // The template comes set up on a sample data set, checked at once; another sample is one pick away.
    await summary.filter({ hasText: '846 rows · 18 features' }).waitFor()
    const samples = h.page.getByLabel('Training data (CSV): sample data set')
    expect(await samples.locator('option').allInnerTexts()).toEqual([
      '—',
      'iris · 150 rows, 4 features, 3 classes',
      'wine · 178 rows, 13 features, 3 classes',
      'breast_cancer_wdbc · 569 rows, 30 features, 2 classes',
      'vehicle · 846 rows, 18 features, 4 classes',
      'digits · 1797 rows, 64 features, 10 classes',
    ])
    await samples.selectOption({ label: 'wine · 178 rows, 13 features, 3 classes' })
    await summary
      .filter({ hasText: '178 rows · 13 features · target target · 3 classes' })
      .waitFor()
    expect(await form.input('Training data (CSV)').inputValue()).toMatch(
      /resources\/datasets\/wine\.csv$/,
    )
    await h.page
      .getByLabel('Upload Training data (CSV)')
      .setInputFiles(
        path.resolve(
          path.dirname(new URL(import.meta.url).pathname),
          '../../resources/datasets/iris.csv',
        ),
      )
    await summary.filter({ hasText: '150 rows' }).waitFor()
    expect(await summary.innerText()).toMatch(/150 rows · 4 features · target target · 3 classes/)
    expect(await summary.innerText()).toContain('0 missing values')
    await screenshot(h.page, 'new-study')
    await h.page.getByLabel('Upload Training data (CSV)').setInputFiles({
      name: 'broken.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('a,b,target\n1,2,0\n3\n'),
    })
    await h.page.getByText('line 3 has 1 fields, the header has 3').waitFor()
  })

  it('saves settings to the database', async () => {
    const settings = new SettingsPage(h.page)
    await settings.open(base)
    await settings.input('Default concurrency').fill('3')
    await settings.input('Data folders').fill('/data/images\n/data/tables')
    await settings.save()
    expect(h.store.getSetting('concurrency')).toBe(3)
    expect(h.store.getSetting('data.folders')).toEqual(['/data/images', '/data/tables'])
    await settings.input('XGBoost library path').fill('/nope/libxgboost.so')
    await h.page.getByRole('button', { name: 'Save' }).click()
    await h.page
      .locator('label', { has: settings.input('XGBoost library path') })
      .getByRole('alert')
      .filter({ hasText: 'xgboost.library: /nope/libxgboost.so does not exist' })
      .waitFor()
    expect(h.store.getSetting('xgboost.library') ?? '').toBe('')
    await settings.input('XGBoost library path').fill('')
    await screenshot(h.page, 'settings')
  })

  it('runs under the strict CSP without a single violation or page error', () => {
    const html = readFileSync(path.join(h.rendererDir, 'index.html'), 'utf8')
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)
    expect(meta?.[1]).toContain("script-src 'self'")
    expect(meta?.[1]).not.toMatch(/unsafe-inline|unsafe-eval|https?:/)
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
    expect(problems).toEqual([])
    expect(os.platform()).toBeTruthy()
  })
})
