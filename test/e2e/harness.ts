// Shared by the e2e tests: a real temp database, a real RunnerHub with Node child workers, `serve`
// on a free port with a freshly built renderer, and the system Chromium driven by Playwright.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Locator, type Page } from 'playwright-core'
import { build } from 'vite'
import { rendererViteConfig } from '../../electron.vite.config.ts'
import { createRunnerHub } from '../../src/main/runner/runnerHub.ts'
import type { RunnerHub } from '../../src/main/runner/runnerHub.ts'
import { startServer, type RunningServer } from '../../src/main/server/startServer.ts'
import { openStudyStore } from '../../src/main/store/openStudyStore.ts'
import type { StudyStore } from '../../src/main/store/studyStore.ts'
import { createNodeChildHost } from '../../src/main/workers/nodeChildHost.ts'

const here = path.dirname(fileURLToPath(import.meta.url))
export const SCREENSHOT_DIR = path.join(here, 'screenshots')
export const CHROMIUM = process.env.HPO_CHROMIUM ?? '/usr/bin/chromium'

/** Builds the renderer into a folder of its own (test files run in parallel; no shared output). */
export async function buildRendererInto(outDir: string): Promise<string> {
  await build({
    ...rendererViteConfig,
    configFile: false,
    logLevel: 'warn',
    build: { ...rendererViteConfig.build, outDir },
  })
  return outDir
}

export interface Harness {
  dir: string
  store: StudyStore
  hub: RunnerHub
  server: RunningServer
  browser: Browser
  page: Page
  rendererDir: string
  close(): Promise<void>
}

export async function startHarness(): Promise<Harness> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hpo-e2e-'))
  const rendererDir = await buildRendererInto(path.join(dir, 'renderer'))
  const store = openStudyStore(path.join(dir, 'studies.sqlite'))
  const hub = createRunnerHub({
    store,
    workers: createNodeChildHost(),
    holder: { pid: process.pid, host: os.hostname() },
  })
  const server = await startServer({
    store,
    hub,
    port: 0,
    rendererDir,
    datasetDir: path.join(dir, 'datasets'),
    followIntervalMs: 300,
    checkResults: true,
  })
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  })
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } })
  const page = await context.newPage()
  return {
    dir,
    store,
    hub,
    server,
    browser,
    page,
    rendererDir,
    async close() {
      await browser.close()
      await hub.shutdown()
      await server.close()
      store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * Writes test/e2e/screenshots/NAME.png (the whole page, or one element of it), to look at after a run. They
 * show test fixtures, so they never go to docs/: README's pictures come from real studies (`npm run
 * screenshots`, scripts/screenshots.ts).
 */
export async function screenshot(target: Page | Locator, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const file = path.join(SCREENSHOT_DIR, `${name}.png`)
  if ('goto' in target) await target.screenshot({ path: file, fullPage: true })
  else await target.screenshot({ path: file })
  return file
}
