// Runs in main (`hpo-studio serve`). The browser transport of the one handler table: POST /api/METHOD
// with { args }, live StudioEvents over the WebSocket /api/events, the built renderer for everything else.
// Bound to 127.0.0.1; every request needs the session cookie from the token URL, except the Python
// client's /client/v1/ API (clientApi.ts), which sends the token in a header.
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
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
  type SessionGate,
} from './httpSecurity.ts'
import { CLIENT_API_PREFIX, createClientApi } from './clientApi.ts'
import { sendJson } from './sendJson.ts'
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

const badArgs = (res: ServerResponse, message: string): void =>
  sendJson(res, 400, { ok: false, error: { code: 'BAD_ARGS', message } })

/** The session gate and the printed URL, both known only once the server listens. */
interface Session {
  gate: SessionGate
  url: string | null
}

interface RequestContext {
  session: Session
  service: StudioService
  clientApi: ReturnType<typeof createClientApi>
  rendererDir: string
}

function defaultDatasetDir(storePath: string): string {
  return path.join(
    storePath === ':memory:' ? process.cwd() : path.dirname(path.resolve(storePath)),
    'datasets',
  )
}

/** Trades the token of the printed URL for a session cookie and redirects to the same URL without it. */
function signIn(gate: SessionGate, given: string, url: URL, res: ServerResponse): void {
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
}

/** POST /api/METHOD with { args }: one call of the handler table. */
async function handleApiCall(
  service: StudioService,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  method: string,
): Promise<void> {
  if (method !== 'POST') return refuse(res, { status: 403, reason: 'the API takes POST only' })
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
    return sendJson(res, 415, {
      ok: false,
      error: { code: 'BAD_ARGS', message: 'send application/json' },
    })
  const body = await readBody(req)
  if (!body)
    return sendJson(res, 413, {
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
  return sendJson(res, 200, await service.call(name, args))
}

async function handleRequest(
  ctx: RequestContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v)
  const refusal = checkHostAndOrigin(req)
  if (refusal) return refuse(res, refusal)
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  const method = req.method ?? 'GET'
  // Programs (the Python client) send the token in a header, not a session cookie.
  if (url.pathname.startsWith(CLIENT_API_PREFIX)) return ctx.clientApi(req, res, url.pathname)

  const given = url.searchParams.get('token')
  if (given !== null && (method === 'GET' || method === 'HEAD'))
    return signIn(ctx.session.gate, given, url, res)
  if (!ctx.session.gate.isAuthorized(req))
    return refuse(res, {
      status: 401,
      reason: 'not signed in: open the URL with ?token= that serve printed',
    })

  if (url.pathname.startsWith('/api/')) return handleApiCall(ctx.service, req, res, url, method)
  if (method !== 'GET' && method !== 'HEAD')
    return refuse(res, { status: 403, reason: `${method} not allowed` })
  await serveStatic(ctx.rendererDir, url.pathname, res, method === 'HEAD')
}
/** Only /api/events upgrades, for a signed-in page; anything else gets its refusal and the socket ends. */
function upgradeRefusal(gate: SessionGate, req: IncomingMessage): Refusal | null {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  return (
    checkHostAndOrigin(req) ??
    (url.pathname !== '/api/events'
      ? { status: 403, reason: 'no such socket' }
      : gate.isAuthorized(req)
        ? null
        : { status: 401, reason: 'not signed in' })
  )
}

function handleUpgrade(
  sockets: WebSocketServer,
  gate: SessionGate,
  req: IncomingMessage,
  socket: Socket,
  head: Buffer,
): void {
  const refusal = upgradeRefusal(gate, req)
  if (refusal) {
    const text = refusal.status === 401 ? 'Unauthorized' : 'Forbidden'
    socket.end(
      `HTTP/1.1 ${refusal.status} ${text}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${refusal.reason}`,
    )
    return
  }
  sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws, req))
}

/** Pushes every StudioEvent to one socket until it closes; pings it so a dead peer is dropped. */
function pushEvents(service: StudioService, ws: WebSocket): void {
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
}

/** Resolves with the port listened on. */
async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host === 'localhost' ? '127.0.0.1' : host, () => resolve())
  })
  return (server.address() as AddressInfo).port
}

async function closeServer(
  service: StudioService,
  server: Server,
  sockets: WebSocketServer,
): Promise<void> {
  service.close()
  for (const ws of sockets.clients) ws.terminate()
  sockets.close()
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1'
  if (host !== '127.0.0.1' && host !== 'localhost')
    throw new Error(`serve listens on 127.0.0.1 only (use ssh -L for remote viewing), got ${host}`)
  // The gate needs the port, which is known only once listening; requests cannot arrive before that.
  const session: Session = { gate: createSessionGate(0), url: null }
  const service = createStudioHandlers({
    store: options.store,
    hub: options.hub,
    transport: 'http',
    datasetDir: options.datasetDir ?? defaultDatasetDir(options.store.path),
    templatesDir: options.templatesDir,
    version: options.version ?? packageVersion(),
    followIntervalMs: options.followIntervalMs,
    checkResults: options.checkResults,
    clientUrl: () => session.url,
  })
  const clientApi = createClientApi({
    store: options.store,
    hub: options.hub,
    token: () => session.gate.token,
  })
  const ctx: RequestContext = {
    session,
    service,
    clientApi,
    rendererDir: options.rendererDir ?? DEFAULT_RENDERER_DIR,
  }

  const server = createServer((req, res) => {
    handleRequest(ctx, req, res).catch((e: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: String(e) } })
      else res.destroy()
    })
  })
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 })
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) =>
    handleUpgrade(sockets, session.gate, req, socket, head),
  )
  sockets.on('connection', (ws: WebSocket) => pushEvents(service, ws))

  const port = await listen(server, options.port, host)
  session.gate = createSessionGate(port)
  const url = `http://127.0.0.1:${port}/?token=${session.gate.token}`
  session.url = url

  return {
    url,
    token: session.gate.token,
    port,
    service,
    close: () => closeServer(service, server, sockets),
  }
}
