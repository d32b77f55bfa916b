// Helpers for the store conformance suite and the store's own tests.
import { spawnSync } from 'node:child_process'
import { expect } from 'vitest'
import type { StudyStore } from '../../src/main/store/studyStore.ts'
import { parseStudySpec, type StudySpec } from '../../src/shared/studySpec.ts'

export interface StoreTestOptions {
  staleMs?: number
  host?: string
  logLimitChars?: number
}
export type OpenTestStore = (options?: StoreTestOptions) => StudyStore

export const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

/** A synthetic Branin study spec, parsed like a study file, with its seed recorded. */
export function braninSpec(
  name = 'b',
  extra: Record<string, unknown> = {},
): StudySpec & { seed: number } {
  const parsed = parseStudySpec({
    name,
    direction: 'minimize',
    objective: { kind: 'synthetic', function: 'branin' },
    ...extra,
  })
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('; '))
  return { ...parsed.value, seed: parsed.value.seed ?? 7 }
}

/** Expects fn to throw a StoreError with this code. */
export function expectStoreError(fn: () => unknown, code: string): void {
  let caught: unknown
  try {
    fn()
  } catch (e) {
    caught = e
  }
  expect(caught, `expected StoreError ${code}`).toBeInstanceOf(Error)
  expect((caught as { code?: string }).code).toBe(code)
}

let exitedPid: number | undefined
/** A pid that surely belongs to no process: one that exited (spawned once; pids are recycled slowly). */
export const deadPid = (): number => (exitedPid ??= spawnSync('true').pid!)

export function dataset(path: string, hash: string) {
  return {
    name: 'letter',
    kind: 'tabular' as const,
    path,
    hash,
    shape: [20000, 16],
    classCounts: { '0': 10000, '1': 10000 },
    classMapping: { A: 0, B: 1 },
  }
}

export function agentSnapshot() {
  return {
    tuner: 'mbrl' as const,
    phase: 'real' as const,
    realEpisodes: 0,
    modelEpisodes: 0,
    params: [{ name: 'x1', mean: 0, spread: 0.5, meanValue: 2.5, lowValue: 0, highValue: 5 }],
    delta: 0.4,
    kl: null,
    lastModelPhase: null,
    surrogateHoldoutError: null,
    surrogateR2: null,
  }
}
