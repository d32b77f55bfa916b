// Test doubles for the preload: a contextBridge and an ipcRenderer that record what the preload does.
import { expect } from 'vitest'
import { STUDIO_IPC, STUDIO_METHODS } from '../../src/shared/studioApi.ts'
import type { IpcRendererLike } from '../../src/preload/exposeStudio.ts'

type Listener = (event: unknown, ...args: unknown[]) => void

export function fakes() {
  const exposed: Record<string, unknown> = {}
  const invoked: unknown[][] = []
  const listeners = new Map<string, Set<Listener>>()
  const contextBridge = { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) }
  const ipcRenderer: IpcRendererLike = {
    invoke: async (...args) => {
      invoked.push(args)
      return { ok: true, value: 'from main' }
    },
    on: (channel, l) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(l)),
    removeListener: (channel, l) => listeners.get(channel)?.delete(l),
  }
  return { exposed, invoked, listeners, contextBridge, ipcRenderer }
}

export async function checkExposed(f: ReturnType<typeof fakes>): Promise<void> {
  expect(Object.keys(f.exposed)).toEqual(['studio'])
  const studio = f.exposed.studio as Record<string, (...a: unknown[]) => unknown>
  expect(Object.keys(studio).sort()).toEqual([...STUDIO_METHODS, 'onEvent'].sort())
  expect(Object.isFrozen(studio)).toBe(true)
  expect(await studio.startStudy(3, { trials: 10 })).toEqual({ ok: true, value: 'from main' })
  expect(f.invoked).toEqual([[STUDIO_IPC.call, 'startStudy', [3, { trials: 10 }]]])

  const got: unknown[] = []
  const off = studio.onEvent((e: unknown) => got.push(e)) as () => void
  for (const l of f.listeners.get(STUDIO_IPC.event) ?? [])
    l({ sender: 'ipc event, never exposed' }, { type: 'studies-changed' })
  expect(got).toEqual([{ type: 'studies-changed' }])
  off()
  expect(f.listeners.get(STUDIO_IPC.event)?.size).toBe(0)
}
