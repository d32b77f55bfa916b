import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { findXgboostLibrary, XgboostLibraryNotFoundError } from './findXgboostLibrary.ts'

const tmp = mkdtempSync(path.join(os.tmpdir(), 'hpo-xgb-find-'))
const fakeLib = path.join(tmp, 'libxgboost.so')
afterAll(() => rmSync(tmp, { recursive: true, force: true }))
writeFileSync(fakeLib, '')

describe('findXgboostLibrary', () => {
  it('refuses HPO_STUDIO_XGBOOST_LIB pointing at a missing file, saying how to fix it', () => {
    const missing = path.join(tmp, 'nope', 'libxgboost.so')
    let error: unknown
    try {
      findXgboostLibrary({ env: { HPO_STUDIO_XGBOOST_LIB: missing } })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(XgboostLibraryNotFoundError)
    const message = (error as Error).message
    expect(message).toContain(`HPO_STUDIO_XGBOOST_LIB points at ${missing}, which is not a file`)
    expect(message).toContain('apt-get install libxgboost0')
  })

  it('uses the setting before the environment, and the environment before OS packages', () => {
    const other = path.join(tmp, 'other.so')
    writeFileSync(other, '')
    expect(
      findXgboostLibrary({ setting: fakeLib, env: { HPO_STUDIO_XGBOOST_LIB: other } }),
    ).toEqual({ path: fakeLib, source: 'setting' })
    expect(findXgboostLibrary({ env: { HPO_STUDIO_XGBOOST_LIB: other } })).toEqual({
      path: other,
      source: 'env',
    })
  })

  it('finds the OS package file in the library folders', () => {
    expect(findXgboostLibrary({ env: {}, libDirs: [path.join(tmp, 'x'), tmp] })).toEqual({
      path: fakeLib,
      source: 'os-package',
    })
  })

  it('finds the library inside a Python xgboost', () => {
    const pkg = path.join(tmp, 'site', 'xgboost')
    const lib = path.join(pkg, 'lib', 'libxgboost.so')
    const python = path.join(tmp, 'python3')
    // A stand-in interpreter that prints the package folder as `import xgboost` would.
    writeFileSync(python, `#!/bin/sh\necho ${pkg}\n`, { mode: 0o755 })
    mkdirSync(path.dirname(lib), { recursive: true })
    writeFileSync(lib, '')
    expect(findXgboostLibrary({ env: { HPO_PYTHON: python }, libDirs: [] })).toEqual({
      path: lib,
      source: 'python',
    })
  })

  it('says how to install one when none is found', () => {
    expect(() =>
      findXgboostLibrary({
        env: { HPO_PYTHON: path.join(tmp, 'no-python') },
        libDirs: [tmp + '/empty'],
      }),
    ).toThrow(
      /XGBoost's library was not found .*Install one: on Debian\/Ubuntu `sudo apt-get install libxgboost0`/,
    )
  })
})
