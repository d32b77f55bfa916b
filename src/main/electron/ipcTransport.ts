// Runs in the Electron main process. The IPC transport of the one handler table: every call arrives on
// one invoke channel, is accepted only from the main window's own page, and its arguments are parsed
// by the zod schemas (in service.call) before a handler runs. Events are pushed to the window.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import { STUDIO_IPC, type StudioResponse } from '../../shared/studioApi.ts'
import type { StudioService } from '../api/studioHandlers.ts'
import { isAppUrl } from './trustedSender.ts'

export function registerIpcTransport(o: {
  service: StudioService
  window: BrowserWindow
  appUrl: string
}): () => void {
  const trusted = (event: IpcMainInvokeEvent): boolean =>
    event.sender === o.window.webContents &&
    event.senderFrame !== null &&
    event.senderFrame.parent === null &&
    isAppUrl(event.senderFrame.url, o.appUrl)

  ipcMain.handle(
    STUDIO_IPC.call,
    async (event, method: unknown, args: unknown): Promise<StudioResponse<unknown>> => {
      if (!trusted(event))
        return {
          ok: false,
          error: { code: 'BAD_STATE', message: 'calls are accepted from the app window only' },
        }
      return o.service.call(typeof method === 'string' ? method : '', args)
    },
  )
  const unsubscribe = o.service.onEvent((event) => {
    if (!o.window.isDestroyed()) o.window.webContents.send(STUDIO_IPC.event, event)
  })
  return () => {
    unsubscribe()
    ipcMain.removeHandler(STUDIO_IPC.call)
  }
}
