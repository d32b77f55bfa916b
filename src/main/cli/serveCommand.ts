// Runs in the CLI: `serve` — the UI in a browser tab, 127.0.0.1 only, behind a token URL printed on stdout.
import os from 'node:os'
import { createRunnerHub } from '../runner/runnerHub.ts'
import { startServer } from '../server/startServer.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { createNodeChildHost } from '../workers/nodeChildHost.ts'
import { ensureRendererBuilt } from './ensureRendererBuilt.ts'

export async function serveCommand(store: StudyStore, port: number): Promise<void> {
  store.recoverStaleTrials()
  const rendererDir = await ensureRendererBuilt()
  const hub = createRunnerHub({
    store,
    workers: createNodeChildHost(),
    holder: { pid: process.pid, host: os.hostname() },
  })
  const server = await startServer({ store, hub, port, rendererDir })
  process.stdout.write(`${server.url}\n`)
  process.stderr.write(
    `HPO Studio is serving ${store.path}; open the URL above (remote: ssh -L ${server.port}:127.0.0.1:${server.port}). Ctrl-C stops.\n`,
  )
  await new Promise<void>((resolve) => {
    let stopping = false
    const stop = (): void => {
      if (stopping) process.exit(130)
      stopping = true
      void hub
        .shutdown()
        .then(() => server.close())
        .then(() => {
          store.close()
          resolve()
        })
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}
