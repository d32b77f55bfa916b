// Runs in main: the StudioApi methods of the settings page. The app's settings are stored in the database
// under the keys the runner and `hpo-studio config get|set KEY` use; a missing or unreadable value falls
// back to its default.
import { DEFAULT_SETTINGS, type StudioApi, type StudioSettings } from '../../shared/studioApi.ts'
import { settingsSchema } from '../../shared/studioApiSchemas.ts'
import type { Json } from '../../shared/trial.ts'
import type { StudyStore } from '../store/studyStore.ts'
import type { HandlerContext } from './handlerContext.ts'

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

export function writeSettings(store: StudyStore, patch: Partial<StudioSettings>): StudioSettings {
  for (const field of FIELDS) {
    const value = patch[field]
    // An unset library path is stored as '' (the runner then uses the system's library).
    if (value !== undefined) store.setSetting(SETTING_KEYS[field], (value ?? '') as Json)
  }
  return readSettings(store)
}

export type SettingsMethod = 'getAppInfo' | 'getSettings' | 'setSettings'

/** The app's facts (version, transport, where its files are) and its settings. */
export function settingsHandlers(ctx: HandlerContext): Pick<StudioApi, SettingsMethod> {
  const { store, options } = ctx
  return {
    async getAppInfo() {
      return {
        version: options.version ?? '0.0.0',
        transport: options.transport,
        databasePath: store.path,
        datasetDir: options.datasetDir,
        uploadLimitBytes: ctx.uploadLimit,
        nativeFileDialog: Boolean(options.pickFile),
      }
    },
    async getSettings() {
      return readSettings(store)
    },
    async setSettings(patch) {
      return writeSettings(store, patch)
    },
  }
}
