// Electron main entry: the thin bootstrap around the same core the CLI and `serve` run. It opens the
// same default database as the CLI, runs workers as utility processes, and serves the StudioApi over IPC.
import { mkdirSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { BrowserWindow, Notification, app, dialog } from 'electron'
import { appDataDir, defaultDatabasePath } from '../defaultPaths.ts'
import { createRunnerHub } from '../runner/runnerHub.ts'
import { openStudyStore } from '../store/openStudyStore.ts'
import { createStudioHandlers } from '../api/studioHandlers.ts'
import { createMainWindow } from './createMainWindow.ts'
import { registerIpcTransport } from './ipcTransport.ts'
import { studyNotification } from './studyNotification.ts'
import { createUtilityWorkerHost } from './utilityWorkerHost.ts'

const outMain = path.dirname(fileURLToPath(import.meta.url))

function rendererUrl(): string {
  const dev = process.env.ELECTRON_RENDERER_URL
  if (dev && !app.isPackaged) return dev
  return pathToFileURL(path.join(outMain, '..', 'renderer', 'index.html')).href
}

function templatesDir(): string {
  return app.isPackaged
    ? path.join(process.resourcesPath, 'templates')
    : path.join(app.getAppPath(), 'resources', 'templates')
}

async function main(): Promise<void> {
  await app.whenReady()
  const databasePath = defaultDatabasePath()
  mkdirSync(path.dirname(path.resolve(databasePath)), { recursive: true })
  const store = openStudyStore(databasePath)
  // Every worker (tuner, trial, analysis) is a utility process of the one worker entry.
  const workers = createUtilityWorkerHost(path.join(outMain, 'worker.js'))
  const hub = createRunnerHub({
    store,
    workers,
    holder: { pid: process.pid, host: os.hostname() },
  })

  let win: BrowserWindow | null = null
  const service = createStudioHandlers({
    store,
    hub,
    transport: 'electron',
    workers,
    datasetDir: path.join(appDataDir(), 'datasets'),
    templatesDir: templatesDir(),
    sampleDatasetsDir: path.join(path.dirname(templatesDir()), 'datasets'),
    version: app.getVersion(),
    baseDir: os.homedir(),
    async pickFile(options) {
      const dialogOptions: Electron.OpenDialogOptions = {
        title: options.title,
        properties: ['openFile'],
        filters: [{ name: options.title, extensions: options.extensions }],
      }
      const r = win
        ? await dialog.showOpenDialog(win, dialogOptions)
        : await dialog.showOpenDialog(dialogOptions)
      return r.canceled ? null : (r.filePaths[0] ?? null)
    },
  })

  const appUrl = rendererUrl()
  win = createMainWindow({ preload: path.join(outMain, '..', 'preload', 'index.cjs'), appUrl })
  const window = win
  const stopIpc = registerIpcTransport({ service, window, appUrl })

  service.onEvent((event) => {
    if (event.type !== 'study-state' || !Notification.isSupported()) return
    if (!window.isDestroyed() && window.isVisible() && !window.isMinimized()) return
    const summary = store.listStudies().find((s) => s.id === event.studyId) ?? null
    const note = studyNotification(event, summary)
    if (!note) return
    const n = new Notification(note)
    n.on('click', () => {
      if (window.isDestroyed()) return
      window.show()
      window.focus()
    })
    n.show()
  })

  let quitting = false
  app.on('before-quit', (event) => {
    if (quitting) return
    event.preventDefault()
    quitting = true
    // Running trials become interrupted and can be resumed; the lease is released for the CLI.
    void hub
      .shutdown()
      .catch(() => {})
      .finally(() => {
        stopIpc()
        service.close()
        store.close()
        app.quit()
      })
  })
  app.on('window-all-closed', () => app.quit())
}

if (!app.requestSingleInstanceLock()) app.quit()
else {
  app.on('second-instance', () => {
    const [win] = BrowserWindow.getAllWindows()
    if (win) {
      if (win.isMinimized()) win.restore()
      win.focus()
    }
  })
  main().catch((e: unknown) => {
    dialog.showErrorBox('HPO Studio could not start', e instanceof Error ? e.message : String(e))
    app.exit(1)
  })
}
