// Runs in main. Writes to the trials table: numbering, the trial lifecycle, intermediate values, imports.
import type { Config } from '../../shared/searchSpace.ts'
import { isFinished, type Json, type TrialState } from '../../shared/trial.ts'
import {
  nanToNull,
  sqliteCode,
  studyNotFound,
  trialNotFound,
  type StoreContext,
} from './storeContext.ts'
import { StoreError, type StudyStore } from './studyStore.ts'
import { toTrial, type TrialRow } from './trialRecord.ts'
import { tunerStateWriter } from './tunerStates.ts'

type GoalResult = {
  values?: number[] | null
  constraints?: Record<string, number> | null
  feasible?: boolean | null
}

type TrialWriteMethods = Pick<
  StudyStore,
  | 'createTrial'
  | 'startTrial'
  | 'setTrialBackend'
  | 'setUserAttr'
  | 'setTrialPlacement'
  | 'addIntermediate'
  | 'finishTrial'
  | 'markTold'
  | 'interruptTrial'
  | 'importTrials'
  | 'setTestScore'
>

const badState = (trialId: number, state: TrialState, wanted: string, action: string) =>
  new StoreError(
    'BAD_STATE',
    `cannot ${action} trial id ${trialId}: it is ${state}, it must be ${wanted}`,
  )

/** The prepared statements the trial writes use. */
function trialStatements(db: StoreContext['db']) {
  const studyExists = db.prepare<[number], { id: number }>('SELECT id FROM studies WHERE id = ?')
  const nextNumber = db.prepare<[number], { next: number }>(
    'SELECT coalesce(max(number) + 1, 0) AS next FROM trials WHERE study_id = ?',
  )
  const insert = db.prepare<
    [
      number,
      number,
      TrialState,
      string,
      number | null,
      string | null,
      string | null,
      string,
      string,
      string | null,
    ],
    TrialRow
  >(
    `INSERT INTO trials (study_id, number, state, params, value, started_at, finished_at,
                         user_attrs, tuner_data, agent_snapshot)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  )
  const getById = db.prepare<[number], TrialRow>('SELECT * FROM trials WHERE id = ?')
  const stateOf = db.prepare<
    [number],
    { state: TrialState; study_id: number; user_attrs: string; backend: string | null }
  >('SELECT state, study_id, user_attrs, backend FROM trials WHERE id = ?')
  const start = db.prepare<[string, number]>(
    `UPDATE trials SET state = 'running', started_at = ?, finished_at = NULL, error = NULL,
                       value = NULL, objective_values = NULL, constraint_values = NULL,
                       feasible = NULL, placement = NULL WHERE id = ?`,
  )
  const clearIntermediate = db.prepare<[number]>(
    'DELETE FROM intermediate_values WHERE trial_id = ?',
  )
  const clearLogs = db.prepare<[number]>('DELETE FROM trial_logs WHERE trial_id = ?')
  const setBackend = db.prepare<[string, number]>('UPDATE trials SET backend = ? WHERE id = ?')
  const setAttr = db.prepare<[string, string, number]>(
    `UPDATE trials SET user_attrs = json_set(user_attrs, '$.' || json_quote(?), json(?)) WHERE id = ?`,
  )
  const setPlacement = db.prepare<[string | null, number]>(
    'UPDATE trials SET placement = ? WHERE id = ?',
  )
  const upsertIntermediate = db.prepare<[number, number, number | null]>(
    `INSERT INTO intermediate_values (trial_id, step, value) VALUES (?, ?, ?)
     ON CONFLICT (trial_id, step) DO UPDATE SET value = excluded.value`,
  )
  const lastIntermediate = db.prepare<[number], { value: number | null }>(
    'SELECT value FROM intermediate_values WHERE trial_id = ? ORDER BY step DESC LIMIT 1',
  )
  const finish = db.prepare<
    [TrialState, number | null, string | null, string, string | null, string, number, number]
  >(
    `UPDATE trials SET state = ?, value = ?, error = ?, user_attrs = ?, backend = ?,
                       finished_at = ?, told = ? WHERE id = ?`,
  )
  const setGoals = db.prepare<[string | null, string | null, number | null, number]>(
    `UPDATE trials SET objective_values = ?, constraint_values = ?, feasible = ? WHERE id = ?`,
  )
  const setSnapshot = db.prepare<[string | null, number]>(
    'UPDATE trials SET agent_snapshot = ? WHERE id = ?',
  )
  const setTold = db.prepare<[number]>('UPDATE trials SET told = 1 WHERE id = ?')
  const interrupt = db.prepare<[string, number]>(
    `UPDATE trials SET state = 'interrupted', error = ? WHERE id = ?`,
  )
  const setScore = db.prepare<[number | null, number]>(
    'UPDATE trials SET test_score = ? WHERE id = ?',
  )
  return {
    studyExists,
    nextNumber,
    insert,
    getById,
    stateOf,
    start,
    clearIntermediate,
    clearLogs,
    setBackend,
    setAttr,
    setPlacement,
    upsertIntermediate,
    lastIntermediate,
    finish,
    setGoals,
    setSnapshot,
    setTold,
    interrupt,
    setScore,
  }
}

type TrialStatements = ReturnType<typeof trialStatements>

/** Writes the multi-objective columns when the result has any (never for a single objective). */
function writeGoals(st: TrialStatements, trialId: number, r: GoalResult): void {
  if (r.values == null && r.constraints == null && r.feasible == null) return
  st.setGoals.run(
    r.values == null ? null : JSON.stringify(r.values),
    r.constraints == null ? null : JSON.stringify(r.constraints),
    r.feasible == null ? null : r.feasible ? 1 : 0,
    trialId,
  )
}

/** Inserts a trial with the study's next number. */
function insertTrial(
  st: TrialStatements,
  studyId: number,
  state: TrialState,
  params: Config,
  extra: {
    value?: number | null
    startedAt?: string | null
    finishedAt?: string | null
    userAttrs?: Record<string, Json>
  } = {},
  tunerData: Json = null,
  agentSnapshot: unknown = null,
) {
  return toTrial(
    st.insert.get(
      studyId,
      st.nextNumber.get(studyId)!.next,
      state,
      JSON.stringify(params),
      nanToNull(extra.value),
      extra.startedAt ?? null,
      extra.finishedAt ?? null,
      JSON.stringify(extra.userAttrs ?? {}),
      JSON.stringify(tunerData ?? null),
      agentSnapshot === null || agentSnapshot === undefined ? null : JSON.stringify(agentSnapshot),
    )!,
  )
}

export function createTrialRows(ctx: StoreContext): TrialWriteMethods {
  const st = trialStatements(ctx.db)
  const saveTunerState = tunerStateWriter(ctx)

  const mustGet = (trialId: number) => {
    const row = st.stateOf.get(trialId)
    if (!row) throw trialNotFound(trialId)
    return row
  }

  const createTrial: StudyStore['createTrial'] = ctx.immediate((studyId, trial, tunerState) => {
    if (!st.studyExists.get(studyId)) throw studyNotFound(studyId)
    const record = insertTrial(
      st,
      studyId,
      trial.state,
      trial.params,
      { startedAt: trial.state === 'running' ? ctx.now() : null, userAttrs: trial.userAttrs },
      trial.tunerData,
      trial.agentSnapshot,
    )
    if (tunerState) saveTunerState(studyId, tunerState)
    return record
  })

  const startTrial = ctx.immediate((trialId: number) => {
    const row = mustGet(trialId)
    if (row.state !== 'queued' && row.state !== 'interrupted')
      throw badState(trialId, row.state, 'queued or interrupted', 'start')
    st.clearIntermediate.run(trialId)
    st.clearLogs.run(trialId)
    st.start.run(ctx.now(), trialId)
  })

  const finishTrial: StudyStore['finishTrial'] = ctx.immediate((trialId, result, tuner) => {
    const row = mustGet(trialId)
    if (row.state !== 'running') throw badState(trialId, row.state, 'running', 'finish')
    let value = nanToNull(result.value)
    // A pruned trial's value is its last intermediate value.
    if (result.state === 'pruned' && value === null)
      value = st.lastIntermediate.get(trialId)?.value ?? null
    const attrs = result.userAttrs
      ? { ...(JSON.parse(row.user_attrs) as Record<string, Json>), ...result.userAttrs }
      : null
    st.finish.run(
      result.state,
      value,
      result.error ?? null,
      attrs ? JSON.stringify(attrs) : row.user_attrs,
      result.backend === undefined ? row.backend : result.backend,
      ctx.now(),
      tuner ? 1 : 0,
      trialId,
    )
    if (result.state === 'complete') writeGoals(st, trialId, result)
    if (tuner) {
      if (tuner.agentSnapshot !== undefined)
        st.setSnapshot.run(
          tuner.agentSnapshot ? JSON.stringify(tuner.agentSnapshot) : null,
          trialId,
        )
      saveTunerState(row.study_id, tuner.state)
    }
  })

  const markTold = ctx.immediate((trialId: number, tunerState: Uint8Array) => {
    const row = mustGet(trialId)
    if (!isFinished(row.state))
      throw badState(trialId, row.state, 'complete, pruned or failed', 'mark as told')
    st.setTold.run(trialId)
    saveTunerState(row.study_id, tunerState)
  })

  const interruptTrial = ctx.immediate((trialId: number, reason: string) => {
    const row = mustGet(trialId)
    if (row.state !== 'running') throw badState(trialId, row.state, 'running', 'interrupt')
    st.interrupt.run(reason, trialId)
  })

  const importTrials: StudyStore['importTrials'] = ctx.immediate((studyId, trials) => {
    if (!st.studyExists.get(studyId)) throw studyNotFound(studyId)
    const now = ctx.now()
    return trials.map((t) => {
      const record = insertTrial(st, studyId, 'complete', t.params, {
        value: t.value,
        finishedAt: now,
        userAttrs: t.userAttrs,
      })
      writeGoals(st, record.id, t)
      const row = st.getById.get(record.id)
      return row ? toTrial(row) : record
    })
  })

  return {
    createTrial,
    startTrial,
    setTrialBackend(trialId, backend) {
      if (st.setBackend.run(backend, trialId).changes === 0) throw trialNotFound(trialId)
    },
    setUserAttr(trialId, key, value) {
      if (st.setAttr.run(key, JSON.stringify(value), trialId).changes === 0)
        throw trialNotFound(trialId)
    },
    setTrialPlacement(trialId, placement) {
      const text = placement === null ? null : JSON.stringify(placement)
      if (st.setPlacement.run(text, trialId).changes === 0) throw trialNotFound(trialId)
    },
    addIntermediate(trialId, step, value) {
      try {
        st.upsertIntermediate.run(trialId, step, nanToNull(value))
      } catch (e) {
        if (sqliteCode(e) === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw trialNotFound(trialId)
        throw e
      }
    },
    finishTrial,
    markTold,
    interruptTrial,
    importTrials,
    setTestScore(trialId, score) {
      if (st.setScore.run(nanToNull(score), trialId).changes === 0) throw trialNotFound(trialId)
    },
  }
}
