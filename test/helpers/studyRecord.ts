// A finished study record (id 1) parsed from a study file, and trial records of it, for tests that need
// no store.
import type { StudyRecord } from '../../src/shared/study.ts'
import type { TrialRecord } from '../../src/shared/trial.ts'
import { parseStudySpec } from '../../src/shared/studySpec.ts'

export function studyRecordFrom(raw: Record<string, unknown>): StudyRecord {
  const parsed = parseStudySpec(raw)
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('\n'))
  return {
    id: 1,
    name: parsed.value.name,
    spec: parsed.value,
    state: 'finished',
    seed: parsed.value.seed ?? 0,
    notes: '',
    tags: [],
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    runningMs: 0,
    error: null,
  }
}

/** A complete trial of study 1 with no value, times or extras, but for `fields`; its id is its number. */
export function trialRecord(
  fields: Pick<TrialRecord, 'number'> & Partial<TrialRecord>,
): TrialRecord {
  return {
    id: fields.number,
    studyId: 1,
    state: 'complete',
    params: {},
    value: null,
    startedAt: null,
    finishedAt: null,
    error: null,
    backend: null,
    userAttrs: {},
    tunerData: null,
    agentSnapshot: null,
    testScore: null,
    placement: null,
    ...fields,
  }
}
