// Runs in main. The app's settings, stored in the database under the keys the runner and
// `hpo-studio config get|set KEY` use; a missing or unreadable value falls back to its default.
import { statSync } from 'node:fs'
import { specError, type SpecError } from '../../shared/specError.ts'
import { DEFAULT_SETTINGS, type StudioSettings } from '../../shared/studioApi.ts'
import { settingsSchema } from '../../shared/studioApiSchemas.ts'
import type { Json } from '../../shared/trial.ts'
import type { StudyStore } from '../store/studyStore.ts'

/** Settings field → its database key (runner/studyRunner.ts reads these). */
export const SETTING_KEYS: Record<keyof StudioSettings, string> = {
  xgboostLibraryPath: 'xgboost.library',
  defaultConcurrency: 'concurrency',
  dataFolders: 'data.folders',
  tfjsBackend: 'tfjs.backend',
}

const FIELDS = Object.keys(SETTING_KEYS) as (keyof StudioSettings)[]

export function readSettings(store: StudyStore): StudioSettings {
  const out: Record<string, unknown> = { ...DEFAULT_SETTINGS }
  for (const field of FIELDS) {
    const stored = store.getSetting(SETTING_KEYS[field])
    if (stored === undefined || stored === '') continue
    const parsed = settingsSchema.shape[field].safeParse(stored)
    if (parsed.success) out[field] = parsed.data
  }
  return out as unknown as StudioSettings
}

/** What a settings patch would break, checked before anything is stored (the library must be a file). */
export function settingsErrors(patch: Partial<StudioSettings>): SpecError[] {
  const lib = patch.xgboostLibraryPath
  if (!lib) return []
  let what: string | null = null
  try {
    if (!statSync(lib).isFile()) what = 'is not a file'
  } catch {
    what = 'no such file'
  }
  return what
    ? [specError('xgboostLibraryPath', 'file', lib, `${lib}: ${what} (a libxgboost.so to load)`)]
    : []
}

export function writeSettings(store: StudyStore, patch: Partial<StudioSettings>): StudioSettings {
  for (const field of FIELDS) {
    const value = patch[field]
    // An unset library path is stored as '' (the runner then uses the system's library).
    if (value !== undefined) store.setSetting(SETTING_KEYS[field], (value ?? '') as Json)
  }
  return readSettings(store)
}
