import os from 'node:os'
import path from 'node:path'
import { mkdtempSync, rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRunnerHub, type RunnerHub } from '../runner/runnerHub.ts'
import { openStudyStore } from '../store/openStudyStore.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { createNodeChildHost } from '../workers/nodeChildHost.ts'
import { startClientServer, type ClientServer } from './startClientServer.ts'

let dir: string
let store: StudyStore
let hub: RunnerHub
let server: ClientServer

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hpo-client-server-'))
  store = openStudyStore(path.join(dir, 'db.sqlite'))
  hub = createRunnerHub({ store, workers: createNodeChildHost(), holder: { pid: 1, host: 'x' } })
  server = await startClientServer({ store, hub })
})
afterAll(async () => {
  await server.close()
  await hub.shutdown()
  store.close()
  rmSync(dir, { recursive: true, force: true })
})

describe("the desktop app's client server", () => {
  it('serves the client API with its token, and nothing else', async () => {
    const url = new URL(server.url)
    const token = url.searchParams.get('token')!
    const post = (pathname: string, auth: string) =>
      fetch(`${url.origin}${pathname}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: auth },
        body: JSON.stringify({ study: 'none' }),
      })
    const missing = await post('/client/v1/connect', `Bearer ${token}`)
    expect(missing.status).toBe(404)
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe(
      'STUDY_NOT_FOUND',
    )
    expect((await post('/client/v1/connect', 'Bearer wrong')).status).toBe(401)
    const page = await fetch(`${url.origin}/`)
    expect(page.status).toBe(404)
    expect(await page.text()).toContain('only the client API')
  })
})
