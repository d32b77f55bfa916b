// Runs in main. The tuner's opaque state blob, one per study, replaced on every save.
import type { StoreContext } from './storeContext.ts'
import { sqliteCode, studyNotFound } from './storeContext.ts'
import type { StudyStore } from './studyStore.ts'

/** A statement-backed writer, for callers that save the state inside their own transaction. */
export function tunerStateWriter(ctx: StoreContext): (studyId: number, state: Uint8Array) => void {
  const upsert = ctx.db.prepare<[number, Buffer, string]>(
    `INSERT INTO tuner_states (study_id, state, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (study_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
  )
  return (studyId, state) => {
    try {
      upsert.run(studyId, Buffer.from(state.buffer, state.byteOffset, state.byteLength), ctx.now())
    } catch (e) {
      if (sqliteCode(e) === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw studyNotFound(studyId)
      throw e
    }
  }
}

export function createTunerStates(
  ctx: StoreContext,
): Pick<StudyStore, 'getTunerState' | 'saveTunerState'> {
  const select = ctx.db.prepare<[number], { state: Buffer }>(
    'SELECT state FROM tuner_states WHERE study_id = ?',
  )
  const write = tunerStateWriter(ctx)
  return {
    getTunerState(studyId) {
      const row = select.get(studyId)
      return row ? new Uint8Array(row.state) : null
    },
    saveTunerState: write,
  }
}
