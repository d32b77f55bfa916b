// Runs in a trial worker: where libxgboost comes from. A path the user gave (settings or
// HPO_STUDIO_XGBOOST_LIB) is used as is or refused, never silently replaced by another library.
import { spawnSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'

export type XgboostLibrarySource = 'setting' | 'env' | 'os-package' | 'python'

export interface FoundXgboostLibrary {
  path: string
  source: XgboostLibrarySource
}

export interface FindXgboostLibraryOptions {
  /** The path from the app's settings (TrialRunSpec.resources.xgboostLibrary). */
  setting?: string | null
  env?: Record<string, string | undefined>
  platform?: NodeJS.Platform
  /** Folders searched for the OS package's file (tests override it). */
  libDirs?: readonly string[]
}

export class XgboostLibraryNotFoundError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'XgboostLibraryNotFoundError'
  }
}

const LIB_DIRS = [
  '/usr/lib/x86_64-linux-gnu',
  '/usr/lib/aarch64-linux-gnu',
  '/usr/lib64',
  '/usr/lib',
  '/usr/local/lib',
  '/opt/homebrew/lib',
  '/usr/local/opt/xgboost/lib',
]

function fileNames(platform: NodeJS.Platform): string[] {
  if (platform === 'darwin') return ['libxgboost.dylib']
  if (platform === 'win32') return ['xgboost.dll']
  return ['libxgboost.so.0', 'libxgboost.so']
}

export const XGBOOST_INSTALL_HINT =
  'Install one: on Debian/Ubuntu `sudo apt-get install libxgboost0`; elsewhere `pip install xgboost` ' +
  '(its bundled library is found through python3; set HPO_PYTHON to choose the interpreter), ' +
  'or set HPO_STUDIO_XGBOOST_LIB (or the xgboostLibrary setting) to the path of libxgboost.so / .dylib / xgboost.dll'

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile()
  } catch {
    return false
  }
}

/** The library folder of the Python xgboost that `python` imports, or null (no Python, no xgboost). */
function pythonXgboostLibrary(python: string, platform: NodeJS.Platform): string | null {
  if (!existsSync(python) && path.isAbsolute(python)) return null
  const r = spawnSync(
    python,
    ['-c', 'import os, xgboost; print(os.path.dirname(xgboost.__file__))'],
    { encoding: 'utf8', timeout: 20_000, env: { ...process.env, PYTHONWARNINGS: 'ignore' } },
  )
  if (r.status !== 0 || !r.stdout) return null
  const dir = r.stdout.trim().split('\n').pop() ?? ''
  for (const name of [...fileNames(platform), 'libxgboost.so']) {
    const candidate = path.join(dir, 'lib', name)
    if (isFile(candidate)) return candidate
  }
  return null
}

/** Finds libxgboost: the setting, HPO_STUDIO_XGBOOST_LIB, the OS package, then a Python xgboost's copy. */
export function findXgboostLibrary(options: FindXgboostLibraryOptions = {}): FoundXgboostLibrary {
  const env = options.env ?? process.env
  const platform = options.platform ?? process.platform
  const given: [string | null | undefined, XgboostLibrarySource, string][] = [
    [options.setting, 'setting', 'the xgboostLibrary setting'],
    [env.HPO_STUDIO_XGBOOST_LIB, 'env', 'HPO_STUDIO_XGBOOST_LIB'],
  ]
  for (const [p, source, what] of given) {
    if (!p) continue
    if (!isFile(p))
      throw new XgboostLibraryNotFoundError(
        `${what} points at ${p}, which is not a file. Fix or unset it. ${XGBOOST_INSTALL_HINT}`,
      )
    return { path: path.resolve(p), source }
  }
  const dirs = options.libDirs ?? LIB_DIRS
  for (const dir of dirs) {
    for (const name of fileNames(platform)) {
      const candidate = path.join(dir, name)
      if (isFile(candidate)) return { path: candidate, source: 'os-package' }
    }
  }
  const python = env.HPO_PYTHON || (platform === 'win32' ? 'python' : '/usr/bin/python3')
  const fromPython = pythonXgboostLibrary(python, platform)
  if (fromPython) return { path: fromPython, source: 'python' }
  throw new XgboostLibraryNotFoundError(
    `XGBoost's library was not found (looked for ${fileNames(platform).join(', ')} in ${dirs.join(', ')}, ` +
      `and for a Python xgboost through ${python}). ${XGBOOST_INSTALL_HINT}`,
  )
}
