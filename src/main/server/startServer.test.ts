import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createRunnerHub } from '../runner/runnerHub.ts'
import { openStudyStore } from '../store/openStudyStore.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { createNodeChildHost } from '../workers/nodeChildHost.ts'
import { CONTENT_SECURITY_POLICY } from './httpSecurity.ts'
import { startServer, type RunningServer } from './startServer.ts'

let dir: string
let store: StudyStore
let server: RunningServer
let cookie: string

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

function send(
  pathname: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path: pathname,
        method: options.method ?? 'GET',
        headers: { Host: `127.0.0.1:${server.port}`, ...options.headers },
      },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (body += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

const api = (method: string, args: unknown[], headers: Record<string, string> = {}) =>
  send(`/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: cookie, ...headers },
    body: JSON.stringify({ args }),
  })

function openSocket(headers: Record<string, string>): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events`, { headers })
    ws.on('open', () => resolve(ws))
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    ws.on('error', () => {})
  })
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hpo-serve-'))
  const renderer = path.join(dir, 'renderer')
  mkdirSync(path.join(renderer, 'assets'), { recursive: true })
  writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>HPO Studio</title>')
  writeFileSync(path.join(renderer, 'assets', 'index-abcdef12.js'), 'console.log(1)')
  writeFileSync(path.join(dir, 'secret.txt'), 'not for you')
  store = openStudyStore(path.join(dir, 'studies.sqlite'))
  const hub = createRunnerHub({
    store,
    workers: createNodeChildHost(),
    holder: { pid: process.pid, host: os.hostname() },
  })
  server = await startServer({ store, hub, port: 0, rendererDir: renderer, followIntervalMs: 0 })
})

afterAll(async () => {
  await server.close()
  store.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('serve: sign-in', () => {
  it('prints a 127.0.0.1 URL with a token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/)
  })

  it('answers 401 to every route without the session cookie', async () => {
    for (const p of ['/', '/index.html', '/assets/index-abcdef12.js', '/studies/1'])
      expect((await send(p)).status, p).toBe(401)
    expect((await api('listStudies', [], { Cookie: '' })).status).toBe(401)
    expect(await openSocket({})).toBe(401)
  })

  it('refuses a wrong token', async () => {
    expect((await send('/?token=nope')).status).toBe(401)
  })

  it('exchanges the token for an HttpOnly SameSite=Strict cookie and redirects', async () => {
    const r = await send(`/?token=${server.token}`)
    expect(r.status).toBe(303)
    expect(r.headers.location).toBe('/')
    const set = String(r.headers['set-cookie'])
    expect(set).toMatch(/HttpOnly/)
    expect(set).toMatch(/SameSite=Strict/)
    expect(set).not.toContain(server.token)
    cookie = set.split(';')[0]
    const page = await send('/', { headers: { Cookie: cookie } })
    expect(page.status).toBe(200)
    expect(page.body).toContain('HPO Studio')
    expect((await api('listStudies', [])).body).toBe('{"ok":true,"value":[]}')
  })
})

describe('serve: refusals', () => {
  it('refuses a Host other than 127.0.0.1 or localhost (DNS rebinding), any port allowed', async () => {
    for (const host of ['evil.example', 'evil.example:80', '127.0.0.1.evil.example', '0.0.0.0'])
      expect((await send('/', { headers: { Host: host, Cookie: cookie } })).status, host).toBe(403)
    expect((await send('/', { headers: { Host: 'localhost:9999', Cookie: cookie } })).status).toBe(
      200,
    )
    expect((await api('listStudies', [], { Host: 'evil.example' })).status).toBe(403)
  })

  it('refuses a foreign Origin on the API and the socket', async () => {
    for (const origin of ['http://evil.example', `http://127.0.0.1:${server.port + 1}`, 'null'])
      expect((await api('listStudies', [], { Origin: origin })).status, origin).toBe(403)
    expect(
      (await api('listStudies', [], { Origin: `http://127.0.0.1:${server.port}` })).status,
    ).toBe(200)
    expect(await openSocket({ Cookie: cookie, Origin: 'http://evil.example' })).toBe(403)
    expect(await openSocket({ Cookie: cookie, Host: 'evil.example' })).toBe(403)
  })

  it('takes the API by POST with JSON only, and never serves files outside the renderer', async () => {
    expect((await send('/api/listStudies', { headers: { Cookie: cookie } })).status).toBe(403)
    const form = await send('/api/listStudies', {
      method: 'POST',
      headers: { Cookie: cookie, 'Content-Type': 'text/plain' },
      body: '{"args":[]}',
    })
    expect(form.status).toBe(415)
    const escape = await send('/../secret.txt', { headers: { Cookie: cookie } })
    expect(escape.body).not.toContain('not for you')
    const encoded = await send('/%2e%2e/secret.txt', { headers: { Cookie: cookie } })
    expect(encoded.body).not.toContain('not for you')
  })

  it('sends the CSP header on every response, refused or not', async () => {
    const replies = [
      await send('/'),
      await send('/', { headers: { Host: 'evil.example' } }),
      await send('/', { headers: { Cookie: cookie } }),
      await send('/assets/index-abcdef12.js', { headers: { Cookie: cookie } }),
      await send('/nope.png', { headers: { Cookie: cookie } }),
      await api('listStudies', []),
    ]
    for (const r of replies) {
      expect(r.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY)
      expect(r.headers['x-content-type-options']).toBe('nosniff')
    }
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'")
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline')
  })

  it('will not listen beyond loopback', async () => {
    await expect(
      startServer({
        store,
        hub: server.service as never,
        port: 0,
        host: '0.0.0.0' as never,
      }),
    ).rejects.toThrow(/127\.0\.0\.1 only/)
  })
})

describe('serve: API and events', () => {
  it('returns errors as data and pushes events over the socket', async () => {
    const ws = await openSocket({
      Cookie: cookie,
      Origin: `http://localhost:${server.port}`,
      Host: `localhost:${server.port}`,
    })
    expect(ws).toBeInstanceOf(WebSocket)
    const socket = ws as WebSocket
    const got = new Promise<unknown>((resolve) =>
      socket.once('message', (m) => resolve(JSON.parse(String(m)))),
    )
    const created = JSON.parse(
      (
        await api('createStudy', [
          {
            text: 'name: web\ndirection: minimize\nobjective: { kind: synthetic, function: branin }\n',
          },
        ])
      ).body,
    )
    expect(created).toMatchObject({ ok: true, value: { name: 'web', state: 'created' } })
    expect(await got).toEqual({ type: 'studies-changed' })
    socket.close()
    const missing = JSON.parse((await api('getStudy', [999])).body)
    expect(missing).toMatchObject({ ok: false, error: { code: 'STUDY_NOT_FOUND' } })
    const bad = JSON.parse((await api('getStudy', ['x'])).body)
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_ARGS' } })
  })
})

describe('serve: hostile input', () => {
  it('answers 400 with the reason to a deeply nested body and a bad %-escape in the method', async () => {
    const deep = await send('/api/createStudy', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookie },
      body: `{"args": [${'['.repeat(100_000)}${']'.repeat(100_000)}]}`,
    })
    expect(deep.status).toBe(400)
    expect(JSON.parse(deep.body)).toEqual({
      ok: false,
      error: { code: 'BAD_ARGS', message: 'the body nests deeper than 64 levels' },
    })
    const escape = await send('/api/list%E0%A4%Audies', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookie },
      body: '{"args": []}',
    })
    expect(escape.status).toBe(400)
    expect(JSON.parse(escape.body).error.message).toBe(
      'the method name "list%E0%A4%Audies" is not valid percent-encoding',
    )
    expect((await api('listStudies', [])).status).toBe(200)
  })

  it('closes only the socket that sends a malformed frame', async () => {
    const mask = Buffer.from([1, 2, 3, 4])
    const frames = [
      Buffer.from([0x81, 0x01, 0x61]), // unmasked
      Buffer.concat([Buffer.from([0x83, 0x80]), mask]), // opcode 3
      Buffer.concat([Buffer.from([0xc1, 0x80]), mask]), // RSV1
      Buffer.concat([Buffer.from([0x81, 0x82]), mask, Buffer.from([0xff ^ 1, 0xfe ^ 2])]), // bad UTF-8
      Buffer.concat([Buffer.from([0x82, 0xff, 0, 0, 0, 0, 0, 0x10, 0, 0]), mask]), // over maxPayload
    ]
    const watcher = (await openSocket({ Cookie: cookie })) as WebSocket
    for (const frame of frames) {
      const ws = (await openSocket({ Cookie: cookie })) as WebSocket
      const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
      ws.on('error', () => {})
      ;(ws as unknown as { _socket: import('node:net').Socket })._socket.write(frame)
      expect([1002, 1006, 1007, 1009]).toContain(await closed)
    }
    expect(watcher.readyState).toBe(WebSocket.OPEN)
    expect((await api('listStudies', [])).status).toBe(200)
    watcher.close()
  })
})
