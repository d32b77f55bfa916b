// Runs in main. The trial table's server-side filter, sort and paging, built as one SQL statement.
import { TRIAL_STATES } from '../../shared/trial.ts'
import type { StoreContext } from './storeContext.ts'
import type { StudyStore, TrialQuery } from './studyStore.ts'
import { toTrial, type TrialRow } from './trialRecord.ts'

/** A JSON path to a top-level key, quoted so names with '.' or '-' are one key. */
export const paramPath = (name: string): string => `$."${name.replace(/["\\]/g, '\\$&')}"`

const STATE_RANK = `CASE state ${TRIAL_STATES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')} END`
const DURATION = '(julianday(finished_at) - julianday(started_at))'

function orderBy(sort: TrialQuery['sort'], args: unknown[]): string {
  const dir = sort?.desc ? 'DESC' : 'ASC'
  const by = sort?.by ?? 'number'
  let key: string
  if (by === 'number') return `number ${dir}`
  else if (by === 'value') key = 'value'
  else if (by === 'duration') key = DURATION
  else if (by === 'state') key = STATE_RANK
  else if (by.startsWith('param:')) {
    key = 'json_extract(params, ?)'
    args.push(paramPath(by.slice('param:'.length)))
  } else throw new Error(`queryTrials: unknown sort key "${String(by)}"`)
  return `${key} ${dir} NULLS LAST, number ASC`
}

export function createTrialQuery(ctx: StoreContext): Pick<StudyStore, 'queryTrials'> {
  const { db } = ctx
  return {
    queryTrials(studyId, query) {
      const where = ['study_id = ?']
      const whereArgs: unknown[] = [studyId]
      if (query.states) {
        where.push('state IN (SELECT value FROM json_each(?))')
        whereArgs.push(JSON.stringify(query.states))
      }
      for (const [name, range] of Object.entries(query.paramRanges ?? {})) {
        const path = paramPath(name)
        // Only numbers match a range; absent (inactive) and categorical values do not.
        where.push(`json_type(params, ?) IN ('integer', 'real')`)
        whereArgs.push(path)
        if (range.min !== undefined) {
          where.push('json_extract(params, ?) >= ?')
          whereArgs.push(path, range.min)
        }
        if (range.max !== undefined) {
          where.push('json_extract(params, ?) <= ?')
          whereArgs.push(path, range.max)
        }
      }
      for (const [name, choices] of Object.entries(query.paramChoices ?? {})) {
        // JSON true/false read back as 1/0: a bool choice matches a bool value only, never the number.
        const path = paramPath(name)
        where.push(
          `EXISTS (SELECT 1 FROM json_each(?) AS c WHERE c.value = json_extract(params, ?)
            AND (c.type IN ('true', 'false')) = (json_type(params, ?) IN ('true', 'false')))`,
        )
        whereArgs.push(JSON.stringify(choices), path, path)
      }
      if (query.valueMin !== undefined) {
        where.push('value >= ?')
        whereArgs.push(query.valueMin)
      }
      if (query.valueMax !== undefined) {
        where.push('value <= ?')
        whereArgs.push(query.valueMax)
      }
      const whereSql = where.join(' AND ')
      const orderArgs: unknown[] = []
      const order = orderBy(query.sort, orderArgs)
      const limit = query.limit ?? -1
      const offset = query.offset ?? 0
      return db.transaction(() => {
        const { total } = db
          .prepare(`SELECT count(*) AS total FROM trials WHERE ${whereSql}`)
          .get(...whereArgs) as { total: number }
        const rows = db
          .prepare(`SELECT * FROM trials WHERE ${whereSql} ORDER BY ${order} LIMIT ? OFFSET ?`)
          .all(...whereArgs, ...orderArgs, limit, offset) as TrialRow[]
        return { total, trials: rows.map(toTrial) }
      })()
    },
  }
}
