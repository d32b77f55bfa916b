// Runs in the Electron main process. The main window: options from mainWindowOptions(), no navigation
// away from the renderer, no new windows, no permission prompts (camera, notifications from the page…).
import { BrowserWindow, session, shell } from 'electron'
import { mainWindowOptions } from './mainWindowOptions.ts'
import { isAppUrl } from './trustedSender.ts'

export interface MainWindowTarget {
  preload: string
  /** file:///…/out/renderer/index.html, or the dev server's URL. */
  appUrl: string
}

export function createMainWindow(target: MainWindowTarget): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(target.preload))
  const contents = win.webContents

  contents.on('will-navigate', (event, url) => {
    // Hash routes (#/study/3) are in-page; anything else would leave the app.
    if (!isAppUrl(url, target.appUrl)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, target.appUrl)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    // Links to documentation open in the user's browser, never in an app window.
    if (/^https:\/\//.test(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  )
  session.defaultSession.setPermissionCheckHandler(() => false)

  win.once('ready-to-show', () => win.show())
  void win.loadURL(target.appUrl)
  return win
}
