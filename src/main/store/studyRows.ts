// Runs in main. The studies table: create, read, summarize, update, delete (trials and the rest cascade).
import type { StudyRecord, StudyState, StudySummary } from '../../shared/study.ts'
import { studySpecSchema, type StudySpec } from '../../shared/studySpec.ts'
import { zodIssuesToErrors } from '../../shared/zodErrors.ts'
import { sqliteCode, studyNotFound, type StoreContext } from './storeContext.ts'
import { StoreError, type StudyStore } from './studyStore.ts'

interface StudyRow {
  id: number
  name: string
  spec: string
  state: StudyState
  seed: number
  notes: string
  tags: string
  created_at: string
  updated_at: string
  running_ms: number
  error: string | null
}

/** The stored spec, checked: a database written by another build fails here with the study and field named. */
function readSpec(r: Pick<StudyRow, 'id' | 'name' | 'spec'>): StudySpec {
  const fail = (why: string) =>
    new StoreError(
      'BAD_DATA',
      `study "${r.name}" (id ${r.id}) was stored by another build of HPO Studio and cannot be read by this one: ${why}`,
    )
  let raw: unknown
  try {
    raw = JSON.parse(r.spec)
  } catch (e) {
    throw fail(`its spec is not JSON (${(e as Error).message})`)
  }
  const parsed = studySpecSchema.safeParse(raw)
  if (parsed.success) return parsed.data
  throw fail(
    zodIssuesToErrors(parsed.error.issues, raw, 'spec')
      .map((e) => e.message)
      .join('; '),
  )
}

const toStudy = (r: StudyRow): StudyRecord => ({
  id: r.id,
  name: r.name,
  spec: readSpec(r),
  state: r.state,
  seed: r.seed,
  notes: r.notes,
  tags: JSON.parse(r.tags) as string[],
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  runningMs: r.running_ms,
  error: r.error,
})

const nameTaken = (name: string) =>
  new StoreError('STUDY_NAME_TAKEN', `a study named "${name}" already exists in this database`)

const isUniqueViolation = (e: unknown) => sqliteCode(e) === 'SQLITE_CONSTRAINT_UNIQUE'

type StudyMethods = Pick<
  StudyStore,
  | 'createStudy'
  | 'getStudy'
  | 'listStudies'
  | 'setStudyState'
  | 'updateStudyMeta'
  | 'addRunningTime'
  | 'deleteStudy'
>

export function createStudyRows(ctx: StoreContext): StudyMethods {
  const { db } = ctx
  const insert = db.prepare<[string, string, number, string, string, string, string], StudyRow>(
    `INSERT INTO studies (name, spec, state, seed, notes, tags, created_at, updated_at)
     VALUES (?, ?, 'created', ?, ?, ?, ?, ?) RETURNING *`,
  )
  const byId = db.prepare<[number], StudyRow>('SELECT * FROM studies WHERE id = ?')
  const byName = db.prepare<[string], StudyRow>('SELECT * FROM studies WHERE name = ?')
  const all = db.prepare<[], StudyRow>('SELECT * FROM studies ORDER BY id')
  const counts = db.prepare<[], { study_id: number; done: number; running: number }>(
    `SELECT study_id,
            sum(state IN ('complete', 'pruned', 'failed')) AS done,
            sum(state = 'running') AS running
     FROM trials GROUP BY study_id`,
  )
  // an infeasible trial is never the best (feasible is NULL in a study without constraints)
  type Best = { number: number; value: number; finished_at: string | null }
  const bestMin = db.prepare<[number], Best>(
    `SELECT number, value, finished_at FROM trials
     WHERE study_id = ? AND state = 'complete' AND value IS NOT NULL AND feasible IS NOT 0
     ORDER BY value ASC, number ASC LIMIT 1`,
  )
  const bestMax = db.prepare<[number], Best>(
    `SELECT number, value, finished_at FROM trials
     WHERE study_id = ? AND state = 'complete' AND value IS NOT NULL AND feasible IS NOT 0
     ORDER BY value DESC, number ASC LIMIT 1`,
  )
  const setState = db.prepare<[StudyState, string | null, string, number]>(
    'UPDATE studies SET state = ?, error = ?, updated_at = ? WHERE id = ?',
  )
  const rename = db.prepare<[string, string, string, number]>(
    `UPDATE studies SET name = ?, spec = json_set(spec, '$.name', ?), updated_at = ? WHERE id = ?`,
  )
  const setExecutor = db.prepare<[string, string, number]>(
    `UPDATE studies SET spec = json_set(spec, '$.executor', json(?)), updated_at = ? WHERE id = ?`,
  )
  const dropExecutor = db.prepare<[string, number]>(
    `UPDATE studies SET spec = json_remove(spec, '$.executor'), updated_at = ? WHERE id = ?`,
  )
  const setNotes = db.prepare<[string, string, number]>(
    'UPDATE studies SET notes = ?, updated_at = ? WHERE id = ?',
  )
  const setTags = db.prepare<[string, string, number]>(
    'UPDATE studies SET tags = ?, updated_at = ? WHERE id = ?',
  )
  const setBudget = db.prepare<[number, string, number]>(
    `UPDATE studies SET spec = json_set(spec, '$.budget.trials', ?), updated_at = ? WHERE id = ?`,
  )
  const addTime = db.prepare<[number, string, number]>(
    'UPDATE studies SET running_ms = running_ms + ?, updated_at = ? WHERE id = ?',
  )
  const remove = db.prepare<[number]>('DELETE FROM studies WHERE id = ?')

  const mustChange = (changes: number, studyId: number) => {
    if (changes === 0) throw studyNotFound(studyId)
  }

  const updateMeta = ctx.immediate(
    (studyId: number, patch: Parameters<StudyStore['updateStudyMeta']>[1]) => {
      if (!byId.get(studyId)) throw studyNotFound(studyId)
      const now = ctx.now()
      if (patch.name !== undefined) {
        try {
          rename.run(patch.name, patch.name, now, studyId)
        } catch (e) {
          if (isUniqueViolation(e)) throw nameTaken(patch.name)
          throw e
        }
      }
      if (patch.notes !== undefined) setNotes.run(patch.notes, now, studyId)
      if (patch.tags !== undefined) setTags.run(JSON.stringify(patch.tags), now, studyId)
      if (patch.executor) setExecutor.run(JSON.stringify(patch.executor), now, studyId)
      else if (patch.executor === null) dropExecutor.run(now, studyId)
      if (patch.budgetTrials !== undefined) setBudget.run(patch.budgetTrials, now, studyId)
    },
  )

  return {
    createStudy(spec) {
      const now = ctx.now()
      try {
        const row = insert.get(
          spec.name,
          JSON.stringify(spec),
          spec.seed,
          spec.notes ?? '',
          JSON.stringify(spec.tags ?? []),
          now,
          now,
        )
        return toStudy(row as StudyRow)
      } catch (e) {
        if (isUniqueViolation(e)) throw nameTaken(spec.name)
        throw e
      }
    },

    getStudy(idOrName) {
      const row = typeof idOrName === 'number' ? byId.get(idOrName) : byName.get(idOrName)
      return row ? toStudy(row) : null
    },

    listStudies() {
      return db.transaction((): StudySummary[] => {
        const perStudy = new Map(counts.all().map((c) => [c.study_id, c]))
        return all.all().map((row) => {
          const study = toStudy(row)
          const { spec } = study
          const best = (spec.direction === 'maximize' ? bestMax : bestMin).get(study.id)
          const c = perStudy.get(study.id)
          return {
            id: study.id,
            name: study.name,
            state: study.state,
            direction: spec.direction,
            metric: spec.metric,
            objectiveKind: spec.objective.kind,
            tunerKind: spec.tuner.kind,
            trialsDone: c?.done ?? 0,
            trialsRunning: c?.running ?? 0,
            budgetTrials: spec.budget.trials,
            bestValue: best?.value ?? null,
            bestTrialNumber: best?.number ?? null,
            bestChangedAt: best?.finished_at ?? null,
            notes: study.notes,
            tags: study.tags,
            createdAt: study.createdAt,
            updatedAt: study.updatedAt,
          }
        })
      })()
    },

    setStudyState(studyId, state, error = null) {
      mustChange(setState.run(state, error, ctx.now(), studyId).changes, studyId)
    },

    updateStudyMeta: updateMeta,

    addRunningTime(studyId, ms) {
      mustChange(addTime.run(Math.round(ms), ctx.now(), studyId).changes, studyId)
    },

    deleteStudy(studyId) {
      mustChange(remove.run(studyId).changes, studyId)
    },
  }
}
