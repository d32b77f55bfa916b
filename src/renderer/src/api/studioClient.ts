// Runs in the renderer. The one StudioApi the views use: window.studio (Electron preload) when present,
// else the HTTP + WebSocket bridge to `serve`. Both are the same StudioBridge, unwrapped the same way.
import { bridgeToApi, type StudioApi } from '../../../shared/studioApi.ts'
import { createHttpBridge } from './httpBridge.ts'

let api: StudioApi | null = null

export function studio(): StudioApi {
  api ??= bridgeToApi(window.studio ?? createHttpBridge())
  return api
}

/** A StudioError's message, or any error's. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}
