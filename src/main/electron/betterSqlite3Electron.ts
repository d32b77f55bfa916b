// Runs in the Electron main process, in place of 'better-sqlite3' (electron.vite.config.ts aliases it):
// the same class, loading the binary built for Electron's ABI, so node_modules keeps the Node build
// the CLI and the tests use. See docs/DEVELOPERS.md, "Electron and native modules".
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type BetterSqlite3 from 'better-sqlite3'

const require = createRequire(import.meta.url)
// A computed name, so the bundler's alias does not point this import back at this file.
const Real = require(['better', 'sqlite3'].join('-')) as typeof BetterSqlite3

/** out/native (npm start), resources/native (packaged), or $HPO_SQLITE_BINDING. */
export function electronBindingPath(): string | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url))
  const resources = (process as { resourcesPath?: string }).resourcesPath
  const candidates = [
    process.env.HPO_SQLITE_BINDING,
    resources && path.join(resources, 'native', 'better_sqlite3.node'),
    path.resolve(here, '..', 'native', 'better_sqlite3.node'),
  ]
  return candidates.find((c): c is string => Boolean(c) && existsSync(c!))
}

const binding = electronBindingPath()

function Database(
  filename?: string | Buffer,
  options?: BetterSqlite3.Options,
): BetterSqlite3.Database {
  return new Real(
    filename,
    binding && !options?.nativeBinding ? { ...options, nativeBinding: binding } : options,
  )
}
Database.prototype = Real.prototype
Object.assign(Database, Real)

export default Database as unknown as typeof BetterSqlite3
