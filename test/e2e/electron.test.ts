// The desktop app itself, driven by Playwright's _electron: runs where the Electron binary is installed
// (`npm start` installs it) and a display exists; skips with the reason elsewhere.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { _electron, type ElectronApplication } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { STUDIO_METHODS } from '../../src/shared/studioApi.ts'

// Callbacks of page.evaluate run in the renderer (serialized, so no outer names); tsconfig.node has no DOM types.
type PageGlobals = {
  studio?: Record<string, (...a: unknown[]) => Promise<unknown>>
  open(url: string): unknown
  location: { href: string }
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

function electronBinary(): string | null {
  const pathFile = path.join(root, 'node_modules/electron/path.txt')
  if (!existsSync(pathFile)) return null
  const bin = path.join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(bin) ? bin : null
}

const binary = electronBinary()
const nativeSqlite = path.join(root, 'out/native/better_sqlite3.node')
const skipReason = !binary
  ? 'the Electron binary is not installed (node_modules/electron/dist is missing; `npm start` downloads it)'
  : !existsSync(nativeSqlite)
    ? `better-sqlite3 is not built for Electron (${nativeSqlite} is missing; \`npm start\` builds it)`
    : process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY
      ? 'no display (run under xvfb-run)'
      : null
if (skipReason) console.log(`electron e2e skipped: ${skipReason}`)

describe.skipIf(skipReason !== null)('the desktop app (Electron)', () => {
  let app: ElectronApplication
  let dir: string

  beforeAll(async () => {
    execFileSync(
      process.execPath,
      [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
      {
        cwd: root,
        stdio: 'ignore',
      },
    )
    dir = mkdtempSync(path.join(os.tmpdir(), 'hpo-electron-'))
    app = await _electron.launch({
      executablePath: binary!,
      args: [root],
      cwd: root,
      env: { ...process.env, HPO_STUDIO_DB: path.join(dir, 'studies.sqlite'), XDG_DATA_HOME: dir },
    })
  }, 180_000)

  afterAll(async () => {
    await app?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('exposes window.studio and nothing of Node to the page', async () => {
    const page = await app.firstWindow()
    await page.locator('.study-manager').waitFor()
    const keys = await page.evaluate(() =>
      Object.keys((globalThis as unknown as PageGlobals).studio ?? {}).sort(),
    )
    expect(keys).toEqual([...STUDIO_METHODS, 'onEvent'].sort())
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
      'undefined',
    )
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe(
      'undefined',
    )
    const info = await page.evaluate(() =>
      (globalThis as unknown as PageGlobals).studio!.getAppInfo(),
    )
    expect(info).toMatchObject({
      ok: true,
      value: { transport: 'electron', nativeFileDialog: true },
    })
  })

  it('creates and runs a study over IPC, with live events', async () => {
    const page = await app.firstWindow()
    await page.goto(page.url().replace(/#.*$/, '') + '#/new?template=synthetic-branin')
    await page.getByLabel('Study name', { exact: true }).fill('electron-branin')
    await page.getByLabel('Trials', { exact: true }).fill('5')
    await page.getByLabel('Tuner', { exact: true }).selectOption('random')
    await page.locator('.form-footer').getByRole('button', { name: 'Create study' }).click()
    await page.locator('.study-view h1').waitFor()
    await page
      .locator('.study-view .toolbar')
      .getByRole('button', { name: 'Start', exact: true })
      .click()
    await page
      .locator('.study-view h1 .badge', { hasText: 'finished' })
      .waitFor({ timeout: 60_000 })
    expect(await page.locator('table.trials tbody tr[data-trial]').count()).toBe(5)
  })

  it('refuses to navigate away from the app or open windows', async () => {
    const page = await app.firstWindow()
    const before = page.url()
    await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals
      g.open('https://example.com/')
      g.location.href = 'file:///etc/hostname'
    })
    await page.waitForTimeout(500)
    expect(page.url().replace(/#.*$/, '')).toBe(before.replace(/#.*$/, ''))
    expect(app.windows()).toHaveLength(1)
  })
})
