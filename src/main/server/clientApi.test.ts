// The Python client's API on `serve`, over real HTTP with a real store and runner: the token in a header,
// bodies checked by their schemas, and each refusal with its own code.
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseStudySpec } from '../../shared/studySpec.ts'
import { createRunnerHub, type RunnerHub } from '../runner/runnerHub.ts'
import { openStudyStore } from '../store/openStudyStore.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { createNodeChildHost } from '../workers/nodeChildHost.ts'
import { startServer, type RunningServer } from './startServer.ts'

let dir: string
let store: StudyStore
let hub: RunnerHub
let server: RunningServer

interface Reply {
  ok: boolean
  value: Record<string, unknown> & { number: number; ticket: string }
  error: { code: string; message: string }
}

const call = async (method: string, body: unknown, headers: Record<string, string> = {}) => {
  const r = await fetch(`http://127.0.0.1:${server.port}/client/v1/${method}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${server.token}`,
      ...headers,
    },
    body: JSON.stringify(body),
  })
  return { status: r.status, json: (await r.json()) as Reply }
}

function study(name: string, objective: unknown) {
  const r = parseStudySpec({
    name,
    direction: 'minimize',
    objective,
    space: { x: { type: 'float', low: 0, high: 1 } },
    tuner: { kind: 'random' },
    budget: { trials: 3 },
  })
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  return store.createStudy({ ...r.value, seed: 1 })
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hpo-client-api-'))
  store = openStudyStore(path.join(dir, 'db.sqlite'))
  hub = createRunnerHub({
    store,
    workers: createNodeChildHost(),
    holder: { pid: process.pid, host: os.hostname() },
  })
  server = await startServer({ store, hub, port: 0, rendererDir: dir, datasetDir: dir })
  study('ext', { kind: 'external' })
  study('cmd', { kind: 'command', run: ['true'] })
})

afterAll(async () => {
  await hub.shutdown()
  await server.close()
  store.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('the client API', () => {
  it('takes the token in the Authorization header only', async () => {
    const none = await call('connect', { study: 'ext' }, { Authorization: '' })
    expect(none.status).toBe(401)
    expect(none.json.error.code).toBe('UNAUTHORIZED')
    expect((await call('connect', { study: 'ext' }, { Authorization: 'Bearer nope' })).status).toBe(
      401,
    )
    const ok = await call('connect', { study: 'ext' })
    expect(ok.status).toBe(200)
    expect(ok.json.value).toMatchObject({
      study: 'ext',
      direction: 'minimize',
      heartbeatSeconds: 60,
    })
  })

  it('checks every body against its schema and names the field', async () => {
    const r = await call('report', { study: 'ext', trial: 0, ticket: 't', step: 1, value: 'x' })
    expect(r.status).toBe(400)
    expect(r.json.error).toMatchObject({ code: 'BAD_ARGS' })
    expect(r.json.error.message).toContain('report.value')
    const extra = await call('ask', { study: 'ext', more: 1 })
    expect(extra.json.error.message).toContain('more')
    const tell = await call('tell', { study: 'ext', trial: 0, ticket: 't', state: 'complete' })
    expect(tell.json.error.message).toContain('tell.value')
    expect((await call('nope', {})).json.error.message).toContain('no client method "nope"')
  })

  it("refuses a study that is not there or not external, and a trial not this client's", async () => {
    expect((await call('ask', { study: 'missing' })).json.error.code).toBe('STUDY_NOT_FOUND')
    const cmd = await call('connect', { study: 'cmd' })
    expect(cmd.status).toBe(409)
    expect(cmd.json.error.code).toBe('NOT_EXTERNAL')
    const a = await call('ask', { study: 'ext' })
    expect(a.status, JSON.stringify(a.json)).toBe(200)
    const { number, ticket } = a.json.value
    const forged = await call('tell', {
      study: 'ext',
      trial: number,
      ticket: 'forged',
      state: 'complete',
      value: 1,
    })
    expect(forged.status).toBe(403)
    expect(forged.json.error.code).toBe('TRIAL_NOT_OWNED')
    const told = await call('tell', {
      study: 'ext',
      trial: number,
      ticket,
      state: 'complete',
      value: 0.25,
    })
    expect(told.json.value).toEqual({ state: 'complete', value: 0.25 })
    const twice = await call('tell', {
      study: 'ext',
      trial: number,
      ticket,
      state: 'complete',
      value: 0.5,
    })
    expect(twice.json.error.code).toBe('ALREADY_TOLD')
    expect(store.getTrial(store.getStudy('ext')!.id, number)!.value).toBe(0.25)
  })
})
