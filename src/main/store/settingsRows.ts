// Runs in main. App and CLI settings: key → JSON value.
import type { Json } from '../../shared/trial.ts'
import type { StoreContext } from './storeContext.ts'
import type { StudyStore } from './studyStore.ts'

export function createSettingsRows(
  ctx: StoreContext,
): Pick<StudyStore, 'getSetting' | 'setSetting' | 'listSettings'> {
  const { db } = ctx
  const select = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?')
  const upsert = db.prepare<[string, string]>(
    `INSERT INTO settings (key, value) VALUES (?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  )
  const all = db.prepare<[], { key: string; value: string }>(
    'SELECT key, value FROM settings ORDER BY key',
  )
  return {
    getSetting(key) {
      const row = select.get(key)
      return row ? (JSON.parse(row.value) as Json) : undefined
    },
    setSetting(key, value) {
      upsert.run(key, JSON.stringify(value))
    },
    listSettings() {
      return Object.fromEntries(all.all().map((r) => [r.key, JSON.parse(r.value) as Json]))
    },
  }
}
