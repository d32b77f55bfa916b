// The layer rule bites: snippets linted with the project's own ESLint config, as if they stood in a layer.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import { beforeAll, describe, expect, it } from 'vitest'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
let eslint: ESLint

beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT })
})

/** The layer rule's messages for `code` linted as the file `file` (relative to the repository). */
async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport {}\n`, {
    filePath: path.join(ROOT, file),
  })
  return result.messages.filter((m) => m.ruleId === 'layers/allowed-imports').map((m) => m.message)
}

describe('the layer rule (eslint/allowedImports.js)', () => {
  it.each([
    [
      'src/shared/x.ts',
      "import Database from 'better-sqlite3'",
      /src\/shared may not import "better-sqlite3"/,
    ],
    ['src/shared/x.ts', "import { readFileSync } from 'node:fs'", /may not import "node:fs"/],
    [
      'src/main/x.ts',
      "import * as tf from '@tensorflow/tfjs'",
      /src\/main may not import "@tensorflow\/tfjs"/,
    ],
    ['src/main/api/x.ts', "import { app } from 'electron'", /may not import "electron"/],
    ['src/main/api/x.ts', "import '../electron/index.ts'", /not src\/main\/electron/],
    [
      'src/main/x.ts',
      "export { serveTrialWorker } from '../worker/trialWorker.ts'",
      /not src\/worker/,
    ],
    ['src/worker/x.ts', "const m = await import('../main/defaultPaths.ts')", /not src\/main/],
    ['src/renderer/src/x.ts', "import os from 'node:os'", /src\/renderer may not import "node:os"/],
    ['src/preload/x.ts', "import '../main/api/studioHandlers.ts'", /not src\/main/],
    [
      'src/shared/x.ts',
      "import { helper } from '../../test/helpers/cli.ts'",
      /not src\/test|test\/helpers/,
    ],
  ])('%s: %s is refused', async (file, code, message) => {
    const errors = await layerErrors(file, code)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(message)
  })

  it.each([
    ['src/shared/x.ts', "import { z } from 'zod'\nimport { createRng } from './rng.ts'"],
    [
      'src/main/x.ts',
      "import Database from 'better-sqlite3'\nimport { parseStudySpec } from '../shared/studySpec.ts'",
    ],
    [
      'src/main/electron/x.ts',
      "import { app } from 'electron'\nimport { createRunnerHub } from '../runner/runnerHub.ts'",
    ],
    [
      'src/worker/x.ts',
      "import koffi from 'koffi'\nimport * as tf from '@tensorflow/tfjs-backend-wasm'",
    ],
    [
      'src/shared/x.test.ts',
      "import { it } from 'vitest'\nimport { ROOT } from '../../test/helpers/cli.ts'",
    ],
  ])('%s: %s is allowed', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([])
  })
})
