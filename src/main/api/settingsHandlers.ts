// Runs in main: the StudioApi methods of the settings page. The app's settings are stored in the database
// under the keys the runner and `hpo-studio config get|set KEY` use; a missing or unreadable value falls
// back to its default.
import {
  DEFAULT_SETTINGS,
  StudioError,
  type StudioApi,
  type StudioSettings,
} from '../../shared/studioApi.ts'
import { settingsSchema } from '../../shared/studioApiSchemas.ts'
import type { SpecError } from '../../shared/specError.ts'
import type { Json } from '../../shared/trial.ts'
import type { StudyStore } from '../store/studyStore.ts'
import type { HandlerContext } from './handlerContext.ts'
import { settingError } from './settingRules.ts'

/** Settings field → its database key (runner/trialResources.ts reads these). */
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

/** Stores the fields of `patch`, or none of them: a field that breaks its key's rule is named in the error. */
export function writeSettings(store: StudyStore, patch: Partial<StudioSettings>): StudioSettings {
  const values: [keyof StudioSettings, Json][] = FIELDS.filter((f) => patch[f] !== undefined).map(
    // An unset library path is stored as '' (the runner then uses the system's library).
    (f) => [f, (patch[f] ?? '') as Json],
  )
  const errors: SpecError[] = []
  for (const [field, value] of values) {
    const message = settingError(SETTING_KEYS[field], value)
    if (message) errors.push({ path: field, rule: 'setting', value, message })
  }
  if (errors.length)
    throw new StudioError('BAD_ARGS', errors.map((e) => e.message).join('\n'), errors)
  for (const [field, value] of values) store.setSetting(SETTING_KEYS[field], value)
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
