// Runs in main. A study file from the UI (text or decoded) → a validated StudySpec with absolute
// paths, as the CLI reads it (studyFile.ts), plus the check only main can make: do the data files exist?
import { existsSync, statSync } from 'node:fs'
import type { StudyInput } from '../../shared/studioApi.ts'
import { specError, type Parsed, type SpecError } from '../../shared/specError.ts'
import { parseStudySpec, type StudySpec } from '../../shared/studySpec.ts'
import { parseStudyText, resolveSpecPaths } from './studyFile.ts'

/** Data files a spec names, with the path of the field that names each. */
function dataFiles(spec: StudySpec): { at: string; file: string }[] {
  const o = spec.objective
  if (o.kind === 'gbdt') {
    const files = [{ at: 'objective.dataset', file: o.dataset }]
    if ('file' in o.validation)
      files.push({ at: 'objective.validation.file', file: o.validation.file })
    if (o.test) files.push({ at: 'objective.test', file: o.test })
    return files
  }
  if (o.kind === 'cnn' && typeof o.dataset === 'object')
    return [
      { at: 'objective.dataset.images', file: o.dataset.images },
      { at: 'objective.dataset.labels', file: o.dataset.labels },
    ]
  return []
}

/** parseStudySpec plus main's checks; relative paths are resolved against `baseDir`. */
export function validateStudyInput(input: StudyInput, baseDir: string): Parsed<StudySpec> {
  let parsed: Parsed<StudySpec>
  if ('text' in input) parsed = parseStudyText(input.text, baseDir)
  else {
    parsed = parseStudySpec(input.raw)
    if (parsed.ok) parsed = { ok: true, value: resolveSpecPaths(parsed.value, baseDir) }
  }
  if (!parsed.ok) return parsed
  const errors: SpecError[] = []
  for (const { at, file } of dataFiles(parsed.value)) {
    if (!(existsSync(file) && statSync(file).isFile()))
      errors.push(specError(at, 'file-exists', file, `no such file: ${file}`))
  }
  return errors.length ? { ok: false, errors } : parsed
}
