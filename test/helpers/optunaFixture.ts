// Test helper: Optuna storages written by real Optuna (Debian's python3-optuna), made fresh for a test
// file by test/fixtures/optuna-db/make.py, with Optuna's own view of them (dump.json) to compare against.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { FIXTURES, tempDir } from './cli.ts'

export const PYTHON = '/usr/bin/python3'

export interface OptunaDumpTrial {
  number: number
  state: 'RUNNING' | 'COMPLETE' | 'PRUNED' | 'FAIL' | 'WAITING'
  params: Record<string, string | number | boolean | null>
  distributions: Record<string, string>
  value: number | null
  intermediate_values: Record<string, number>
  user_attrs: Record<string, unknown>
  fixed_params: Record<string, unknown> | null
  datetime_start: string | null
  datetime_complete: string | null
}

export interface OptunaDump {
  [file: string]: {
    [study: string]: {
      directions: string[]
      user_attrs: Record<string, unknown>
      trials: OptunaDumpTrial[]
    }
  }
}

export async function makeOptunaFixtures(): Promise<{ dir: string; dump: OptunaDump }> {
  const dir = tempDir('hpo-optuna-')
  await promisify(execFile)(PYTHON, [path.join(FIXTURES, 'optuna-db/make.py'), dir], {
    timeout: 300_000,
  })
  return { dir, dump: JSON.parse(readFileSync(path.join(dir, 'dump.json'), 'utf8')) as OptunaDump }
}
