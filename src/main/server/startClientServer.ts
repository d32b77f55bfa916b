// Runs in main (the desktop app): the Python client's ask/tell API on its own 127.0.0.1 port, since the app
// talks to its window over IPC and serves no HTTP otherwise. `serve` routes the same API itself.
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { RunnerHub } from '../runner/runnerHub.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { CLIENT_API_PREFIX, createClientApi } from './clientApi.ts'
import { checkHostAndOrigin } from './httpSecurity.ts'

export interface ClientServer {
  /** http://127.0.0.1:PORT/?token=…: what hs.connect() takes. */
  url: string
  close(): Promise<void>
}

export async function startClientServer(o: {
  store: StudyStore
  hub: RunnerHub
  port?: number
}): Promise<ClientServer> {
  const token = randomBytes(24).toString('base64url')
  const api = createClientApi({ store: o.store, hub: o.hub, token: () => token })
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const refusal = checkHostAndOrigin(req)
    if (refusal || !url.pathname.startsWith(CLIENT_API_PREFIX)) {
      const text = refusal?.reason ?? `only the client API (${CLIENT_API_PREFIX}) is served here`
      res
        .writeHead(refusal?.status ?? 404, { 'Content-Type': 'text/plain; charset=utf-8' })
        .end(text)
      return
    }
    api(req, res, url.pathname).catch(() => res.destroy())
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(o.port ?? 0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
