// Runs in main: the rule of each stored setting (the keys of `hpo-studio config get|set KEY` and the settings
// page), checked before anything is stored: a number in its range, a file that exists, a known backend.
import { statSync } from 'node:fs'
import path from 'node:path'
import { TFJS_BACKEND_PREFERENCES } from '../../shared/studioApi.ts'
import { formatValue } from '../../shared/specError.ts'
import type { Json } from '../../shared/trial.ts'

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
