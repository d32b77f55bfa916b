// Runs in the renderer in a browser tab opened from `hpo-studio serve`: the StudioBridge over
// fetch (POST /api/METHOD) and a WebSocket that reconnects, so the UI code is the same as in Electron.
import {
  STUDIO_METHODS,
  type StudioBridge,
  type StudioEvent,
  type StudioResponse,
} from '../../../shared/studioApi.ts'

async function post(method: string, args: unknown[]): Promise<StudioResponse<unknown>> {
  // JSON turns a trailing undefined into null, which the schemas refuse for optional arguments.
  while (args.length && args[args.length - 1] === undefined) args = args.slice(0, -1)
  let res: Response
  try {
    res = await fetch(`/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ args }),
      credentials: 'same-origin',
    })
  } catch (e) {
    return {
      ok: false,
      error: { code: 'INTERNAL', message: `the server is unreachable (${String(e)})` },
    }
  }
  if (res.status === 401)
    return {
      ok: false,
      error: {
        code: 'BAD_STATE',
        message: 'signed out: open the URL with ?token= that serve printed',
      },
    }
  try {
    return (await res.json()) as StudioResponse<unknown>
  } catch {
    return { ok: false, error: { code: 'INTERNAL', message: `HTTP ${res.status} from the server` } }
  }
}

export function createHttpBridge(): StudioBridge {
  const listeners = new Set<(event: StudioEvent) => void>()
  let socket: WebSocket | null = null
  let retry = 500
  let everOpened = false

  const connect = (): void => {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/events`
    const ws = new WebSocket(url)
    socket = ws
    ws.onopen = () => {
      retry = 500
      // Events may have been missed while disconnected: views reload.
      if (everOpened) for (const l of listeners) l({ type: 'studies-changed' })
      everOpened = true
    }
    ws.onmessage = (m) => {
      let event: StudioEvent
      try {
        event = JSON.parse(String(m.data)) as StudioEvent
      } catch {
        return
      }
      for (const l of listeners) l(event)
    }
    ws.onclose = () => {
      socket = null
      if (!listeners.size) return
      setTimeout(connect, retry)
      retry = Math.min(10_000, retry * 2)
    }
  }

  const bridge: Record<string, unknown> = {
    onEvent(listener: (event: StudioEvent) => void) {
      listeners.add(listener)
      if (!socket) connect()
      return () => {
        listeners.delete(listener)
        if (!listeners.size) socket?.close()
      }
    },
  }
  for (const m of STUDIO_METHODS) bridge[m] = (...args: unknown[]) => post(m, args)
  return bridge as unknown as StudioBridge
}
