// Runs in main. Study leases: which process runs a study. A stale lease (no heartbeat for staleMs, or a
// holder on this host whose process is gone) is taken over, and its running trials become interrupted.
import type { StoreContext } from './storeContext.ts'
import { studyNotFound } from './storeContext.ts'
import { StoreError, type LeaseHolder, type LeaseInfo, type StudyStore } from './studyStore.ts'

interface LeaseRow {
  study_id: number
  pid: number
  host: string
  acquired_at: string
  heartbeat_at: string
}

const toLease = (r: LeaseRow): LeaseInfo => ({
  studyId: r.study_id,
  pid: r.pid,
  host: r.host,
  acquiredAt: r.acquired_at,
  heartbeatAt: r.heartbeat_at,
})

/** Whether a process with this pid exists on this machine. EPERM: it exists, owned by someone else. */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The error text of running trials whose process went away (holder null: no lease at all). */
export const interruptedReason = (holder: LeaseHolder | null): string =>
  holder
    ? `interrupted: the process running the study (pid ${holder.pid} on host ${holder.host}) stopped`
    : 'interrupted: no process held the study (no lease) while the trial was running'

type LeaseMethods = Pick<
  StudyStore,
  'acquireLease' | 'heartbeat' | 'releaseLease' | 'getLease' | 'recoverStaleTrials'
>

export function createLeases(ctx: StoreContext): LeaseMethods {
  const { db } = ctx
  const select = db.prepare<[number], LeaseRow>('SELECT * FROM study_leases WHERE study_id = ?')
  const upsert = db.prepare<[number, number, string, string, string]>(
    `INSERT INTO study_leases (study_id, pid, host, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (study_id) DO UPDATE SET pid = excluded.pid, host = excluded.host,
       acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at`,
  )
  const beat = db.prepare<[string, number, number, string]>(
    'UPDATE study_leases SET heartbeat_at = ? WHERE study_id = ? AND pid = ? AND host = ?',
  )
  const release = db.prepare<[number, number, string]>(
    'DELETE FROM study_leases WHERE study_id = ? AND pid = ? AND host = ?',
  )
  const interruptRunning = db.prepare<[string, number]>(
    `UPDATE trials SET state = 'interrupted', error = ? WHERE study_id = ? AND state = 'running'`,
  )
  const studyExists = db.prepare<[number], { id: number }>('SELECT id FROM studies WHERE id = ?')
  const studiesWithRunning = db.prepare<[], { study_id: number }>(
    `SELECT id AS study_id FROM studies s
     WHERE EXISTS (SELECT 1 FROM trials t WHERE t.study_id = s.id AND t.state = 'running')`,
  )

  const isStale = (r: LeaseRow): boolean =>
    Date.now() - Date.parse(r.heartbeat_at) > ctx.staleMs ||
    (r.host === ctx.host && !processAlive(r.pid))

  const isSelf = (r: LeaseRow, h: LeaseHolder) => r.pid === h.pid && r.host === h.host

  const acquire = ctx.immediate(
    (studyId: number, holder: LeaseHolder): { ok: true } | { ok: false; holder: LeaseInfo } => {
      if (!studyExists.get(studyId)) throw studyNotFound(studyId)
      const row = select.get(studyId)
      const now = ctx.now()
      if (row && isSelf(row, holder)) {
        beat.run(now, studyId, holder.pid, holder.host)
        return { ok: true }
      }
      if (row && !isStale(row)) return { ok: false, holder: toLease(row) }
      interruptRunning.run(interruptedReason(row ?? null), studyId)
      upsert.run(studyId, holder.pid, holder.host, now, now)
      return { ok: true }
    },
  )

  const heartbeat = ctx.immediate((studyId: number, holder: LeaseHolder) => {
    if (beat.run(ctx.now(), studyId, holder.pid, holder.host).changes > 0) return
    const row = select.get(studyId)
    throw new StoreError(
      'BAD_STATE',
      row
        ? `lost the lease of study ${studyId}: pid ${row.pid} on host ${row.host} took it over`
        : `lost the lease of study ${studyId}: nobody holds it`,
    )
  })

  const recover = ctx.immediate((): number => {
    let interrupted = 0
    for (const { study_id } of studiesWithRunning.all()) {
      const row = select.get(study_id)
      if (row && !isStale(row)) continue
      interrupted += interruptRunning.run(interruptedReason(row ?? null), study_id).changes
    }
    return interrupted
  })

  return {
    acquireLease: acquire,
    heartbeat,
    releaseLease(studyId, holder) {
      release.run(studyId, holder.pid, holder.host)
    },
    getLease(studyId) {
      const row = select.get(studyId)
      return row ? { ...toLease(row), stale: isStale(row) } : null
    },
    recoverStaleTrials: recover,
  }
}
