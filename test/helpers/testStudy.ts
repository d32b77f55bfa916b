// A real SQLite store in a temp dir with one synthetic study, for the runner's unit tests.
import path from 'node:path'
import { openStudyStore } from '../../src/main/store/openStudyStore.ts'
import type { StudyStore } from '../../src/main/store/studyStore.ts'
import type { StudyRecord } from '../../src/shared/study.ts'
import { parseStudySpec } from '../../src/shared/studySpec.ts'
import { braninSpec } from '../conformance/storeTestHelpers.ts'
import { tempDir } from './cli.ts'

const open: StudyStore[] = []

/** Closes the stores opened since the last call (call it in afterEach). */
export function closeTestStores(): void {
  for (const s of open.splice(0)) s.close()
}

/** A Branin study (minimize, seed 7) with `extra` keys of the study file. */
export function openTestStudy(extra: Record<string, unknown> = {}): {
  store: StudyStore
  study: StudyRecord
} {
  const store = openStudyStore(path.join(tempDir(), 'studies.sqlite'))
  open.push(store)
  return { store, study: store.createStudy(braninSpec('t', extra)) }
}

/** Creates a study from the keys of a study file (a bad one throws) with `seed`; returns its id. */
export function createTestStudy(
  store: StudyStore,
  raw: Record<string, unknown>,
  seed: number,
): number {
  const spec = parseStudySpec(raw)
  if (!spec.ok) throw new Error(spec.errors.map((e) => e.message).join('\n'))
  return store.createStudy({ ...spec.value, seed }).id
}

/** A finished trial, run and recorded as the runner would. */
export function addFinished(
  store: StudyStore,
  studyId: number,
  state: 'complete' | 'pruned' | 'failed',
  value: number | null,
  curve: number[] = [],
): number {
  const t = store.createTrial(studyId, { state: 'running', params: { x1: 0, x2: 0 } })
  curve.forEach((v, step) => store.addIntermediate(t.id, step, v))
  store.finishTrial(
    t.id,
    { state, value, error: state === 'failed' ? 'boom' : null },
    { state: Uint8Array.of(1) },
  )
  return t.id
}
