// Runs in main. Per-trial stdout/stderr, size-capped: the first and the last logLimitChars characters
// of each stream are kept, and what fell between is counted so the reader can say so.
import { sqliteCode, trialNotFound, type StoreContext } from './storeContext.ts'
import type { StudyStore } from './studyStore.ts'

type Stream = 'stdout' | 'stderr'
type LogEntry = Parameters<StudyStore['appendTrialLogs']>[0][number]
interface LogMeta {
  head_chars: number
  tail_chars: number
  dropped_chars: number
}

export const truncationMarker = (dropped: number): string =>
  `\n[… ${dropped} characters of output dropped …]\n`

/** Appended text joins the newest chunk until it holds this many characters: a log is a few large rows. */
const CHUNK_CHARS = 16 * 1024

export function createTrialLogs(
  ctx: StoreContext,
): Pick<StudyStore, 'appendTrialLog' | 'appendTrialLogs' | 'getTrialLog'> {
  const { db } = ctx
  const limit = ctx.logLimitChars
  const meta = db.prepare<[number, Stream], LogMeta>(
    'SELECT head_chars, tail_chars, dropped_chars FROM trial_logs WHERE trial_id = ? AND stream = ?',
  )
  const createMeta = db.prepare<[number, Stream]>(
    'INSERT INTO trial_logs (trial_id, stream) VALUES (?, ?)',
  )
  const saveMeta = db.prepare<[number, number, number, number, Stream]>(
    `UPDATE trial_logs SET head_chars = ?, tail_chars = ?, dropped_chars = ?
     WHERE trial_id = ? AND stream = ?`,
  )
  const insertChunk = db.prepare<[number, Stream, number, string]>(
    'INSERT INTO trial_log_chunks (trial_id, stream, in_head, text) VALUES (?, ?, ?, ?)',
  )
  const newest = db.prepare<[number, Stream, number], { id: number; chars: number }>(
    `SELECT id, length(text) AS chars FROM trial_log_chunks
     WHERE trial_id = ? AND stream = ? AND in_head = ? ORDER BY id DESC LIMIT 1`,
  )
  const extendChunk = db.prepare<[string, number]>(
    'UPDATE trial_log_chunks SET text = text || ? WHERE id = ?',
  )
  const oldestTail = db.prepare<[number, Stream], { id: number; text: string }>(
    `SELECT id, text FROM trial_log_chunks WHERE trial_id = ? AND stream = ? AND in_head = 0
     ORDER BY id LIMIT 1`,
  )
  const deleteChunk = db.prepare<[number]>('DELETE FROM trial_log_chunks WHERE id = ?')
  const setChunkText = db.prepare<[string, number]>(
    'UPDATE trial_log_chunks SET text = ? WHERE id = ?',
  )
  const chunks = db.prepare<[number], { stream: Stream; text: string; in_head: number }>(
    'SELECT stream, text, in_head FROM trial_log_chunks WHERE trial_id = ? ORDER BY stream, id',
  )
  const metas = db.prepare<[number], LogMeta & { stream: Stream }>(
    'SELECT stream, head_chars, tail_chars, dropped_chars FROM trial_logs WHERE trial_id = ?',
  )
  const trialExists = db.prepare<[number], { id: number }>('SELECT id FROM trials WHERE id = ?')

  /** Adds text to the head (1) or tail (0) part: into the newest chunk while it has room, else new chunks. */
  function put(trialId: number, stream: Stream, inHead: 0 | 1, text: string): void {
    const last = newest.get(trialId, stream, inHead)
    let rest = text
    if (last && last.chars < CHUNK_CHARS) {
      const take = rest.slice(0, CHUNK_CHARS - last.chars)
      extendChunk.run(take, last.id)
      rest = rest.slice(take.length)
    }
    for (let i = 0; i < rest.length; i += CHUNK_CHARS)
      insertChunk.run(trialId, stream, inHead, rest.slice(i, i + CHUNK_CHARS))
  }

  function append(trialId: number, stream: Stream, text: string): void {
    let m = meta.get(trialId, stream)
    if (!m) {
      try {
        createMeta.run(trialId, stream)
      } catch (e) {
        if (sqliteCode(e) === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw trialNotFound(trialId)
        throw e
      }
      m = { head_chars: 0, tail_chars: 0, dropped_chars: 0 }
    }
    let { head_chars: head, tail_chars: tail, dropped_chars: dropped } = m
    let rest = text
    if (head < limit) {
      const take = rest.slice(0, limit - head)
      put(trialId, stream, 1, take)
      head += take.length
      rest = rest.slice(take.length)
    }
    if (rest.length > 0) {
      if (rest.length > limit) {
        dropped += rest.length - limit
        rest = rest.slice(rest.length - limit)
      }
      put(trialId, stream, 0, rest)
      tail += rest.length
      while (tail > limit) {
        const oldest = oldestTail.get(trialId, stream)!
        const excess = tail - limit
        if (oldest.text.length <= excess) {
          deleteChunk.run(oldest.id)
          tail -= oldest.text.length
          dropped += oldest.text.length
        } else {
          setChunkText.run(oldest.text.slice(excess), oldest.id)
          tail -= excess
          dropped += excess
        }
      }
    }
    saveMeta.run(head, tail, dropped, trialId, stream)
  }

  /** One transaction for the batch; consecutive texts of one trial and stream are appended as one. */
  const appendBatch = ctx.immediate((entries: readonly LogEntry[]) => {
    let i = 0
    while (i < entries.length) {
      const { trialId, stream } = entries[i]
      let text = ''
      for (
        ;
        i < entries.length && entries[i].trialId === trialId && entries[i].stream === stream;
        i++
      )
        text += entries[i].text
      if (text.length > 0) append(trialId, stream, text)
    }
  })

  return {
    appendTrialLog(trialId, stream, text) {
      if (text.length > 0) appendBatch([{ trialId, stream, text }])
    },
    appendTrialLogs(entries) {
      if (entries.length > 0) appendBatch(entries)
    },
    getTrialLog(trialId) {
      return db.transaction(() => {
        if (!trialExists.get(trialId)) throw trialNotFound(trialId)
        const dropped = new Map(metas.all(trialId).map((m) => [m.stream, m.dropped_chars]))
        const out = { stdout: '', stderr: '' }
        const markerDone = new Set<Stream>()
        for (const c of chunks.all(trialId)) {
          const n = dropped.get(c.stream) ?? 0
          if (!c.in_head && n > 0 && !markerDone.has(c.stream)) {
            out[c.stream] += truncationMarker(n)
            markerDone.add(c.stream)
          }
          out[c.stream] += c.text
        }
        return { ...out, truncated: [...dropped.values()].some((n) => n > 0) }
      })()
    },
  }
}
