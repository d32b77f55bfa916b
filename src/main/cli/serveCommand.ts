// Runs in the CLI: `serve` — the UI in a browser tab, 127.0.0.1 only, behind a token URL printed on stdout.
import os from 'node:os'
import { createRunnerHub } from '../runner/runnerHub.ts'
import { DEFAULT_RENDERER_DIR, startServer, type RunningServer } from '../server/startServer.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { createNodeChildHost } from '../workers/nodeChildHost.ts'
import { CliError, EXIT } from './cliOutput.ts'
import { ensureRendererBuilt } from './ensureRendererBuilt.ts'

export async function serveCommand(store: StudyStore, port: number): Promise<void> {
  store.recoverStaleTrials()
  const hub = createRunnerHub({
    store,
    workers: createNodeChildHost(),
    holder: { pid: process.pid, host: os.hostname() },
  })
  let server: RunningServer
  try {
    // Listening comes first: a port in use is said at once, before the UI is built.
    server = await startServer({ store, hub, port, rendererDir: DEFAULT_RENDERER_DIR })
    await ensureRendererBuilt()
  } catch (e) {
    await hub.shutdown()
    store.close()
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE')
      throw new CliError(
        EXIT.badInput,
        `cannot listen on 127.0.0.1:${port}: the port is in use (pick another with --port, or 0 for a free one)`,
      )
    if (code === 'EACCES')
      throw new CliError(EXIT.badInput, `cannot listen on 127.0.0.1:${port}: permission denied`)
    throw e
  }
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
