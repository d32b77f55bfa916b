// Runs in main (`hpo-studio serve`). The browser transport of the one handler table: POST /api/METHOD
// with { args }, live StudioEvents over the WebSocket /api/events, the built renderer for everything else.
// Bound to 127.0.0.1; every request needs the session cookie from the token URL.
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { WebSocketServer, type WebSocket } from 'ws'
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../shared/jsonDepth.ts'
import { UPLOAD_BASE64_MAX } from '../../shared/studioApiSchemas.ts'
import type { RunnerHub } from '../runner/runnerHub.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { createStudioHandlers, type StudioService } from '../api/studioHandlers.ts'
import {
  SECURITY_HEADERS,
  checkHostAndOrigin,
  createSessionGate,
  type Refusal,
} from './httpSecurity.ts'
import { serveStatic } from './staticFiles.ts'

export const DEFAULT_RENDERER_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../out/renderer',
)
function packageVersion(): string {
  try {
    const pkg = readFileSync(path.resolve(DEFAULT_RENDERER_DIR, '../../package.json'), 'utf8')
    return String((JSON.parse(pkg) as { version?: unknown }).version ?? '0.0.0')
  } catch {
    return '0.0.0'
  }
}
const MAX_BODY_BYTES = UPLOAD_BASE64_MAX + 1024 * 1024
/** A socket this far behind stops getting intermediate values (it still gets trial and study events). */
const SLOW_SOCKET_BYTES = 4 * 1024 * 1024

export interface ServerOptions {
  store: StudyStore
  hub: RunnerHub
  /** 0 picks a free port. */
  port: number
  host?: '127.0.0.1' | 'localhost'
  /** Built renderer (default out/renderer of this checkout). */
  rendererDir?: string
  /** Where uploaded data sets go (default: a datasets folder beside the database). */
  datasetDir?: string
  templatesDir?: string
  version?: string
  /** Poll period for studies run by other processes (ms). */
  followIntervalMs?: number
  /** Parse every handler result with its schema (tests). */
  checkResults?: boolean
}

export interface RunningServer {
  /** http://127.0.0.1:PORT/?token=… — print it; opening it signs the browser in. */
  url: string
  token: string
  port: number
  service: StudioService
  close(): Promise<void>
}

function refuse(res: ServerResponse, r: Refusal): void {
  res.writeHead(r.status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(r.reason)
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY_BYTES) {
        resolve(null)
        req.destroy()
      } else chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res
    .writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Length': Buffer.byteLength(text),
    })
    .end(text)
}

const badArgs = (res: ServerResponse, message: string): void =>
  json(res, 400, { ok: false, error: { code: 'BAD_ARGS', message } })

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1'
  if (host !== '127.0.0.1' && host !== 'localhost')
    throw new Error(`serve listens on 127.0.0.1 only (use ssh -L for remote viewing), got ${host}`)
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR
  const datasetDir =
    options.datasetDir ??
    path.join(
      options.store.path === ':memory:'
        ? process.cwd()
        : path.dirname(path.resolve(options.store.path)),
      'datasets',
    )
  const service = createStudioHandlers({
    store: options.store,
    hub: options.hub,
    transport: 'http',
    datasetDir,
    templatesDir: options.templatesDir,
    version: options.version ?? packageVersion(),
    followIntervalMs: options.followIntervalMs,
    checkResults: options.checkResults,
  })
  // The gate needs the port, which is known only once listening; requests cannot arrive before that.
  let gate = createSessionGate(0)

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v)
    const refusal = checkHostAndOrigin(req)
    if (refusal) return refuse(res, refusal)
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const method = req.method ?? 'GET'

    const given = url.searchParams.get('token')
    if (given !== null && (method === 'GET' || method === 'HEAD')) {
      const cookie = gate.exchange(given)
      if (!cookie)
        return refuse(res, {
          status: 401,
          reason: 'wrong or expired token: use the URL serve printed',
        })
      url.searchParams.delete('token')
      res.writeHead(303, {
        'Set-Cookie': cookie,
        Location: url.pathname + url.search,
        'Cache-Control': 'no-store',
      })
      res.end()
      return
    }
    if (!gate.isAuthorized(req))
      return refuse(res, {
        status: 401,
        reason: 'not signed in: open the URL with ?token= that serve printed',
      })

    if (url.pathname.startsWith('/api/')) {
      if (method !== 'POST') return refuse(res, { status: 403, reason: 'the API takes POST only' })
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
        return json(res, 415, {
          ok: false,
          error: { code: 'BAD_ARGS', message: 'send application/json' },
        })
      const body = await readBody(req)
      if (!body)
        return json(res, 413, {
          ok: false,
          error: { code: 'TOO_LARGE', message: 'request body too large' },
        })
      let payload: unknown
      try {
        payload = JSON.parse(body.toString('utf8'))
      } catch {
        return badArgs(res, 'body is not JSON')
      }
      if (nestsDeeperThan(payload))
        return badArgs(res, `the body nests deeper than ${MAX_JSON_DEPTH} levels`)
      const args = (payload as { args?: unknown } | null)?.args ?? []
      const raw = url.pathname.slice('/api/'.length)
      let name: string
      try {
        name = decodeURIComponent(raw)
      } catch {
        return badArgs(res, `the method name ${JSON.stringify(raw)} is not valid percent-encoding`)
      }
      return json(res, 200, await service.call(name, args))
    }
    if (method !== 'GET' && method !== 'HEAD')
      return refuse(res, { status: 403, reason: `${method} not allowed` })
    await serveStatic(rendererDir, url.pathname, res, method === 'HEAD')
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent)
        json(res, 500, { ok: false, error: { code: 'INTERNAL', message: String(e) } })
      else res.destroy()
    })
  })

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 })
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const refusal: Refusal | null =
      checkHostAndOrigin(req) ??
      (url.pathname !== '/api/events'
        ? { status: 403, reason: 'no such socket' }
        : gate.isAuthorized(req)
          ? null
          : { status: 401, reason: 'not signed in' })
    if (refusal) {
      const text = refusal.status === 401 ? 'Unauthorized' : 'Forbidden'
      socket.end(
        `HTTP/1.1 ${refusal.status} ${text}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${refusal.reason}`,
      )
      return
    }
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws, req))
  })

  sockets.on('connection', (ws: WebSocket) => {
    const unsubscribe = service.onEvent((event) => {
      if (ws.readyState !== ws.OPEN) return
      if (event.type === 'intermediate' && ws.bufferedAmount > SLOW_SOCKET_BYTES) return
      ws.send(JSON.stringify(event))
    })
    let alive = true
    ws.on('pong', () => (alive = true))
    const ping = setInterval(() => {
      if (!alive) return ws.terminate()
      alive = false
      ws.ping()
    }, 30_000)
    ws.on('close', () => {
      clearInterval(ping)
      unsubscribe()
    })
    // The socket only pushes; anything the page sends is ignored.
    ws.on('message', () => {})
    // A malformed frame (unmasked, bad opcode, invalid UTF-8, too large) ends this socket only; ws closes it.
    ws.on('error', () => ws.terminate())
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, host === 'localhost' ? '127.0.0.1' : host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  gate = createSessionGate(port)

  return {
    url: `http://127.0.0.1:${port}/?token=${gate.token}`,
    token: gate.token,
    port,
    service,
    async close() {
      service.close()
      for (const ws of sockets.clients) ws.terminate()
      sockets.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
