// Runs in main. The app's settings, stored in the database under the keys the runner and
// `hpo-studio config get|set KEY` use; each key has one rule, checked before anything is stored.
// A missing or unreadable value falls back to its default.
import { statSync } from 'node:fs'
import path from 'node:path'
import {
  DEFAULT_SETTINGS,
  StudioError,
  TFJS_BACKEND_PREFERENCES,
  type StudioSettings,
} from '../../shared/studioApi.ts'
import { settingsSchema } from '../../shared/studioApiSchemas.ts'
import { formatValue, type SpecError } from '../../shared/specError.ts'
import type { Json } from '../../shared/trial.ts'
import type { StudyStore } from '../store/studyStore.ts'

/** Settings field → its database key (runner/trialResources.ts reads these). */
export const SETTING_KEYS: Record<keyof StudioSettings, string> = {
  xgboostLibraryPath: 'xgboost.library',
  defaultConcurrency: 'concurrency',
  dataFolders: 'data.folders',
  tfjsBackend: 'tfjs.backend',
}

const FIELDS = Object.keys(SETTING_KEYS) as (keyof StudioSettings)[]

const wholeNumber =
  (max: number) =>
  (v: Json): string | null =>
    Number.isInteger(v) && (v as number) >= 1 && (v as number) <= max
      ? null
      : `must be a whole number from 1 to ${max}, got ${formatValue(v)}`

function existingFile(v: Json): string | null {
  if (v === '' || v === null) return null // unset: the system's library
  if (typeof v !== 'string' || !path.isAbsolute(v))
    return `must be the absolute path of libxgboost.so, got ${formatValue(v)}`
  try {
    return statSync(v).isFile() ? null : `${v} is not a file`
  } catch {
    return `${v} does not exist`
  }
}

/** Each database key, its rule (null: the value is fine, else why not), in the order `config` lists them. */
export const SETTING_RULES: Record<string, (value: Json) => string | null> = {
  'xgboost.library': existingFile,
  'xgboost.nthread': wholeNumber(1024),
  'tfjs.backend': (v) =>
    TFJS_BACKEND_PREFERENCES.includes(v as never)
      ? null
      : `must be one of ${TFJS_BACKEND_PREFERENCES.map((b) => formatValue(b)).join(', ')}, got ${formatValue(v)}`,
  'data.folders': (v) =>
    Array.isArray(v) &&
    v.length <= 50 &&
    v.every((f) => typeof f === 'string' && path.isAbsolute(f))
      ? null
      : `must be a list of absolute folder paths, e.g. ["/data"], got ${formatValue(v)}`,
  concurrency: wholeNumber(64),
}

/** Why a value cannot be stored under a key (an unknown key included), or null. */
export function settingError(key: string, value: Json): string | null {
  if (!Object.hasOwn(SETTING_RULES, key))
    return `unknown setting ${JSON.stringify(key)} (settings: ${Object.keys(SETTING_RULES).join(', ')})`
  const why = SETTING_RULES[key](value)
  return why && `${key}: ${why}`
}

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
