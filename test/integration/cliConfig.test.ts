// `hpo-studio config set` checks each setting with its own rule before storing it.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { openStudyStore } from '../../src/main/store/openStudyStore.ts'
import { tempDir } from '../helpers/cli.ts'
import { runMain, STACK_FRAME } from '../helpers/inProcessCli.ts'

describe('hpo-studio config set', () => {
  it.each([
    [['xgboost.nthread', '-3'], 'xgboost.nthread: must be a whole number from 1 to 1024, got -3'],
    [['xgboost.nthread', '"4"'], 'xgboost.nthread: must be a whole number from 1 to 1024, got "4"'],
    [['concurrency', '65'], 'concurrency: must be a whole number from 1 to 64, got 65'],
    [
      ['tfjs.backend', 'cuda'],
      'tfjs.backend: must be one of "auto", "tfjs-node-gpu", "tfjs-node", "wasm", "cpu", got "cuda"',
    ],
    [
      ['xgboost.library', '/nope/libxgboost.so'],
      'xgboost.library: /nope/libxgboost.so does not exist',
    ],
    [
      ['data.folders', 'data'],
      'data.folders: must be a list of absolute folder paths, e.g. ["/data"], got "data"',
    ],
    [
      ['colour', 'blue'],
      'unknown setting "colour" (settings: xgboost.library, xgboost.nthread, tfjs.backend, data.folders, concurrency)',
    ],
  ])('refuses %j: %s', async (args, message) => {
    const db = path.join(tempDir(), 'db.sqlite')
    const r = await runMain(['config', 'set', ...args, '--db', db])
    expect(r.code).toBe(2)
    expect(r.stderr.trim()).toBe(message)
    expect(r.stderr).not.toMatch(STACK_FRAME)
    const store = openStudyStore(db)
    expect(store.listSettings()).toEqual({})
    store.close()
  })

  it('stores a valid value', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'db.sqlite')
    const lib = path.join(dir, 'libxgboost.so')
    writeFileSync(lib, '')
    for (const args of [
      ['xgboost.nthread', '3'],
      ['xgboost.library', lib],
      ['data.folders', '["/data"]'],
    ])
      expect((await runMain(['config', 'set', ...args, '--db', db])).code).toBe(0)
    const store = openStudyStore(db)
    expect(store.listSettings()).toEqual({
      'xgboost.nthread': 3,
      'xgboost.library': lib,
      'data.folders': ['/data'],
    })
    store.close()
  })
})
