// Runs in the Electron main process. Only the app's own page may call the StudioApi over IPC: the main
// frame of the main window, showing our renderer (its file, or the dev server during `electron-vite dev`).

/** True when `frameUrl` is the renderer at `appUrl` (same file for file:, same origin for http:). */
export function isAppUrl(frameUrl: string | undefined, appUrl: string): boolean {
  if (!frameUrl) return false
  let frame: URL
  let app: URL
  try {
    frame = new URL(frameUrl)
    app = new URL(appUrl)
  } catch {
    return false
  }
  if (frame.protocol !== app.protocol) return false
  if (app.protocol === 'file:') return frame.pathname === app.pathname
  if (app.protocol === 'http:' || app.protocol === 'https:') return frame.origin === app.origin
  return false
}
