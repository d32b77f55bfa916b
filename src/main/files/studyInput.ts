// Runs in main. A study file from the UI (text or decoded) → a validated StudySpec with absolute
// paths, as the CLI reads it (studyFile.ts), plus the check only main can make: do the data files exist?
import type { StudyInput } from '../../shared/studioApi.ts'
import type { Parsed } from '../../shared/specError.ts'
import { parseStudySpec, type StudySpec } from '../../shared/studySpec.ts'
import { checkSpecFiles } from './specFiles.ts'
import { parseStudyText, resolveSpecPaths } from './studyFile.ts'

/** parseStudySpec plus main's checks; relative paths are resolved against `baseDir`. */
export function validateStudyInput(input: StudyInput, baseDir: string): Parsed<StudySpec> {
  let parsed: Parsed<StudySpec>
  if ('text' in input) parsed = parseStudyText(input.text, baseDir)
  else {
    parsed = parseStudySpec(input.raw)
    if (parsed.ok) parsed = { ok: true, value: resolveSpecPaths(parsed.value, baseDir) }
  }
  if (!parsed.ok) return parsed
  const errors = checkSpecFiles(parsed.value)
  return errors.length ? { ok: false, errors } : parsed
}
