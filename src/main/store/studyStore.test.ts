// Runs the store conformance suite against the SQLite store, on a real temporary file and in memory.
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll } from 'vitest'
import { storeConformance } from '../../../test/conformance/storeConformance.ts'
import { openStudyStore } from './openStudyStore.ts'

const dir = mkdtempSync(path.join(os.tmpdir(), 'hpo-store-'))
let files = 0
afterAll(() => rmSync(dir, { recursive: true, force: true }))

storeConformance('SQLite file', (options) =>
  openStudyStore(path.join(dir, `store-${files++}.sqlite`), options),
)
storeConformance('SQLite :memory:', (options) => openStudyStore(':memory:', options))
