// The forms in Chromium against `serve`: what the new-study form stores is what it shows, nothing is
// created while an error shows, and every message sits on its field in words about that field. Also
// the rename dialog, the settings page and the data-set upload.
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { parseStudySpec } from '../../src/shared/studySpec.ts'
import { CHROMIUM, startHarness, type Harness } from './harness.ts'
import { NewStudyPage } from './pages/NewStudyPage.ts'
import { SettingsPage } from './pages/SettingsPage.ts'
import { StudyManagerPage } from './pages/StudyManagerPage.ts'

const haveChromium = existsSync(CHROMIUM)
if (!haveChromium) console.warn(`e2e skipped: no Chromium at ${CHROMIUM}`)

let h: Harness
let base: string
let form: NewStudyPage
const problems: string[] = []

const rowNames = (): Promise<string[]> =>
  h.page
    .locator('.space-editor tr[data-param]')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-param') ?? ''))
const createButtons = () => h.page.getByRole('button', { name: 'Create study' })

async function expectCreateBlocked(): Promise<void> {
  await expect.poll(() => form.problems().innerText()).toMatch(/\d+ problems? to fix/)
  for (const b of await createButtons().all()) expect(await b.isDisabled()).toBe(true)
}

describe.skipIf(!haveChromium)('study forms in Chromium over serve', () => {
  beforeAll(async () => {
    h = await startHarness()
    base = `http://127.0.0.1:${h.server.port}/`
    h.page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
    h.page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`)
    })
    await h.page.goto(h.server.url)
    form = new NewStudyPage(h.page)
  }, 120_000)

  afterAll(async () => {
    await h?.close()
  })

  beforeEach(async () => {
    await h.page.goto(`${base}#/`)
  })

  it('shows a synthetic function’s own parameters, fixed, and creates exactly the space shown', async () => {
    await form.open(base, 'synthetic-mixed')
    expect(await rowNames()).toEqual(['x', 'v', 'n', 'c'])
    // The function's parameters can be neither renamed nor removed (it would ignore the new name).
    expect(await form.space.field('v', 'name').isEditable()).toBe(false)
    expect(await h.page.getByLabel('Remove v', { exact: true }).isDisabled()).toBe(true)

    await h.page.getByRole('button', { name: 'Add parameter' }).click()
    const added = (await rowNames()).at(-1)!
    await form.space.field(added, 'name').fill('x')
    // Both rows named x are marked, and nothing can be created.
    await expect
      .poll(() => h.page.locator('.space-editor tr.has-error[data-param="x"]').count())
      .toBe(2)
    await expectCreateBlocked()
    await createButtons().first().click({ force: true })
    expect(h.store.getStudy('mixed')).toBeNull()

    await h.page.locator('.space-editor tr[data-param="x"] input.name').nth(1).fill('noise')
    await expect.poll(() => form.problems().innerText()).toBe('ready')
    expect(await h.page.getByText('mixed ignores noise').count()).toBe(1)
    await form.input('Study name').fill('mixed-shown')
    await form.create()
    await h.page.locator('.study-view h1').waitFor()
    const stored = h.store.getStudy('mixed-shown')!.spec.space.params.map((p) => p.name)
    expect(stored).toEqual(['x', 'v', 'n', 'c', 'noise'])
  })

  it('applies only complete, valid text to the table, never wipes it, and blocks Create meanwhile', async () => {
    await form.open(base, 'synthetic-branin')
    await form.input('Study name').fill('typed-space')
    expect(await rowNames()).toEqual(['x1', 'x2'])
    const text = form.space.text()
    await text.fill('')
    await h.page.waitForTimeout(400)
    expect(await rowNames()).toEqual(['x1', 'x2'])
    await text.pressSequentially('x1:\n  type: float\n  low: -5\n  high: 10\nx2:\n  type: fl', {
      delay: 5,
    })
    await h.page.waitForTimeout(400)
    // Half-typed: the table keeps its rows and their values.
    expect(await rowNames()).toEqual(['x1', 'x2'])
    expect(await form.space.field('x2', 'high').inputValue()).toBe('15')
    await expectCreateBlocked()
    expect(await h.page.locator('.text-view .field-error').innerText()).toMatch(/x2/)

    await text.pressSequentially(
      'oat\n  low: 0\n  high: 12\nnoise:\n  type: int\n  low: 1\n  high: 3\n',
      {
        delay: 5,
      },
    )
    await expect.poll(rowNames).toEqual(['x1', 'x2', 'noise'])
    expect(await form.space.field('x2', 'high').inputValue()).toBe('12')
    await expect.poll(() => form.problems().innerText()).toBe('ready')
    await form.create()
    await h.page.locator('.study-view h1').waitFor()
    const space = h.store.getStudy('typed-space')!.spec.space.params
    expect(space.map((p) => p.name)).toEqual(['x1', 'x2', 'noise'])
    expect(space[1]).toMatchObject({ high: 12 })
  })

  it('puts each message on its field, as it is typed, and takes it away once fixed', async () => {
    const taken = parseStudySpec({
      name: 'taken-name',
      direction: 'minimize',
      objective: { kind: 'synthetic', function: 'branin' },
    })
    if (!taken.ok) throw new Error('bad spec')
    h.store.createStudy({ ...taken.value, seed: 1 })

    await form.open(base, 'synthetic-branin')
    const nameError = h.page.locator('[data-field="name"] .field-error')
    await form.input('Study name').fill('has space')
    await expect.poll(() => nameError.innerText()).toMatch(/^Study name: .*letters, digits/)
    await expectCreateBlocked()
    await form.input('Study name').fill('taken-name')
    await expect.poll(() => nameError.innerText()).toMatch(/taken-name.*already/)
    await expectCreateBlocked()
    await form.input('Study name').fill('fresh-name')
    await expect.poll(() => nameError.count()).toBe(0)

    await form.input('Tuner').selectOption('tpe')
    await h.page.getByLabel('Tuner options').pressSequentially('nStartupTrials: abc', { delay: 10 })
    const tunerError = h.page.locator('[data-field="tuner"] .field-error')
    await expect.poll(() => tunerError.innerText()).toMatch(/nStartupTrials must be a number/)
    expect(await tunerError.innerText()).not.toMatch(/mapping|Invalid input/)
    await h.page.getByLabel('Tuner options').fill('nStartupTrials: 5')
    await expect.poll(() => tunerError.count()).toBe(0)
    await expect.poll(() => form.problems().innerText()).toBe('ready')
    expect(problems).toEqual([])
  })

  it('says what is wrong with a new name in the rename dialog, before and without args[1]', async () => {
    const manager = new StudyManagerPage(h.page)
    await manager.open(base)
    await manager.row('taken-name').waitFor()
    await manager.action('taken-name', 'Rename')
    const dialog = h.page.getByRole('dialog', { name: 'Rename study' })
    await dialog.getByRole('textbox').fill('bad name!')
    await dialog.getByRole('button', { name: 'Rename' }).click()
    const message = await dialog.locator('.field-error').innerText()
    expect(message).toMatch(/^Study name: .*letters, digits/)
    expect(message).not.toContain('args')
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    expect(h.store.getStudy('taken-name')).not.toBeNull()
  })

  it('refuses a settings value that cannot work, on its field, and stores nothing', async () => {
    const settings = new SettingsPage(h.page)
    await settings.open(base)
    await settings.input('XGBoost library path').fill('/no/such/libxgboost.so')
    await h.page.getByRole('button', { name: 'Save' }).click()
    const error = h.page
      .locator('label', { has: settings.input('XGBoost library path') })
      .locator('.field-error')
    await expect.poll(() => error.innerText()).toMatch(/\/no\/such\/libxgboost\.so.*(no such|not)/)
    expect(h.store.getSetting('xgboost.library')).toBeUndefined()
  })

  it('keeps no copy of an upload it refused, for its rows or for the objective’s target', async () => {
    const uploads = path.join(h.dir, 'datasets', 'uploads')
    const kept = () => (existsSync(uploads) ? readdirSync(uploads).sort() : [])
    await form.open(base, 'xgboost-paper')
    const upload = h.page.getByLabel('Upload Training data (CSV)')
    await upload.setInputFiles({
      name: 'ragged.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('a,b,target\n1,2,0\n3\n'),
    })
    await h.page.getByText('line 3 has 1 fields, the header has 3').waitFor()
    expect(kept()).toEqual([])
    // A good file, its target chosen; then a file without that column is refused and not kept.
    const rows = Array.from({ length: 12 }, (_, i) => [i, i % 3, i % 2, ['x', 'y'][i % 2]])
    const csv = (header: string, cells: (string | number)[][]) =>
      Buffer.from([header, ...cells.map((r) => r.join(','))].join('\n') + '\n')
    await upload.setInputFiles({
      name: 'flowers.csv',
      mimeType: 'text/csv',
      buffer: csv('f1,f2,f3,species', rows),
    })
    await h.page.getByLabel('Data set summary').waitFor()
    await h.page.getByLabel('Target column').selectOption('species')
    await upload.setInputFiles({
      name: 'other.csv',
      mimeType: 'text/csv',
      buffer: csv(
        'f1,f2,label',
        rows.map((r) => [r[0], r[1], r[3]]),
      ),
    })
    await h.page.locator('.dataset-field .field-error').filter({ hasText: 'species' }).waitFor()
    expect(kept()).toEqual(['flowers.csv'])
  })
})
