// Runs in main: the script a worker process runs — the bundled file when main is built (Electron), else the
// TypeScript source through tsx (CLI, serve, tests).
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** `built` is relative to the bundle (out/main/), `source` to src/main/workers/. */
export function workerEntry(built: string, source: string): { file: string; execArgv: string[] } {
  const builtFile = fileURLToPath(new URL(built, import.meta.url))
  if (import.meta.url.endsWith('.js') && existsSync(builtFile))
    return { file: builtFile, execArgv: [] }
  return {
    file: fileURLToPath(new URL(source, import.meta.url)),
    execArgv: ['--import', import.meta.resolve('tsx')],
  }
}
