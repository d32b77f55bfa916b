// Runs in the sandboxed preload. Exposes window.studio: the StudioApi methods over one invoke channel
// and the event stream, nothing else (no ipcRenderer, no Node). Results stay data (errors included),
// because an Error thrown across contextBridge keeps only its message.
import { STUDIO_IPC, STUDIO_METHODS, type StudioEvent } from '../shared/studioApi.ts'

export interface ContextBridgeLike {
  exposeInMainWorld(key: string, api: unknown): void
}
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
}

export function exposeStudio(contextBridge: ContextBridgeLike, ipcRenderer: IpcRendererLike): void {
  const api: Record<string, unknown> = {}
  for (const method of STUDIO_METHODS)
    api[method] = (...args: unknown[]) => ipcRenderer.invoke(STUDIO_IPC.call, method, args)
  api.onEvent = (listener: (event: StudioEvent) => void) => {
    const handler = (_event: unknown, payload: unknown) => listener(payload as StudioEvent)
    ipcRenderer.on(STUDIO_IPC.event, handler)
    return () => {
      ipcRenderer.removeListener(STUDIO_IPC.event, handler)
    }
  }
  contextBridge.exposeInMainWorld('studio', Object.freeze(api))
}
