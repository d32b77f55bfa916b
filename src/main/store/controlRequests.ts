// Runs in main. Pause/stop/resume requests from a process that does not run the study, read by the one that does.
import { sqliteCode, studyNotFound, type StoreContext } from './storeContext.ts'
import type { ControlAction, ControlRequest, StudyStore } from './studyStore.ts'

interface ControlRow {
  id: number
  study_id: number
  action: ControlAction
  requested_at: string
  requested_by: string
}

export function createControlRequests(
  ctx: StoreContext,
): Pick<StudyStore, 'requestControl' | 'takeControlRequests'> {
  const { db } = ctx
  const insert = db.prepare<[number, ControlAction, string, string]>(
    'INSERT INTO control_requests (study_id, action, requested_at, requested_by) VALUES (?, ?, ?, ?)',
  )
  const take = db.prepare<[number], ControlRow>(
    'DELETE FROM control_requests WHERE study_id = ? RETURNING *',
  )
  return {
    requestControl(studyId, action, requestedBy) {
      try {
        insert.run(studyId, action, ctx.now(), requestedBy)
      } catch (e) {
        if (sqliteCode(e) === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw studyNotFound(studyId)
        throw e
      }
    },
    takeControlRequests(studyId) {
      // DELETE … RETURNING gives no order guarantee; sort by id (insertion order) here.
      return take
        .all(studyId)
        .sort((a, b) => a.id - b.id)
        .map((r): ControlRequest => ({
          id: r.id,
          studyId: r.study_id,
          action: r.action,
          requestedAt: r.requested_at,
          requestedBy: r.requested_by,
        }))
    },
  }
}
