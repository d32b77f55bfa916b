// Runs in main: what a study file names outside itself must be there before anything runs — data files
// (regular files of a size the trainers read), the command's program and working folder. `validate`,
// `run` and the app's study form all check it here.
import { accessSync, constants, statSync, type Stats } from 'node:fs'
import path from 'node:path'
import { MAX_CSV_BYTES, MAX_IDX_BYTES, type ObjectiveSpec } from '../../shared/objectiveSpec.ts'
import { specError, type SpecError } from '../../shared/specError.ts'
import type { StudySpec } from '../../shared/studySpec.ts'

const stat = (p: string): Stats | null => {
  try {
    return statSync(p)
  } catch {
    return null
  }
}

/** Data files a spec names, with the path of the field that names each and the most bytes read. */
function dataFiles(o: ObjectiveSpec): { at: string; file: string; max: number }[] {
  if (o.kind === 'gbdt') {
    const files = [{ at: 'objective.dataset', file: o.dataset, max: MAX_CSV_BYTES }]
    if ('file' in o.validation)
      files.push({ at: 'objective.validation.file', file: o.validation.file, max: MAX_CSV_BYTES })
    if (o.test) files.push({ at: 'objective.test', file: o.test, max: MAX_CSV_BYTES })
    return files
  }
  if (o.kind === 'cnn' && typeof o.dataset === 'object')
    return [
      { at: 'objective.dataset.images', file: o.dataset.images, max: MAX_IDX_BYTES },
      { at: 'objective.dataset.labels', file: o.dataset.labels, max: MAX_IDX_BYTES },
    ]
  return []
}

function dataFileError(at: string, file: string, max: number): SpecError | null {
  const s = stat(file)
  if (!s) return specError(at, 'file-exists', file, `no such file: ${file}`)
  if (!s.isFile()) return specError(at, 'regular-file', file, `${file} is not a regular file`)
  if (s.size > max)
    return specError(
      at,
      'file-size',
      file,
      `${file} has ${s.size} bytes, more than the ${max} read`,
    )
  return null
}

const isProgram = (p: string): boolean => {
  if (!stat(p)?.isFile()) return false
  try {
    accessSync(p, constants.X_OK)
    return true
  } catch {
    return false
  }
}

function commandErrors(o: Extract<ObjectiveSpec, { kind: 'command' }>): SpecError[] {
  const errors: SpecError[] = []
  if (o.cwd !== undefined && !stat(o.cwd)?.isDirectory())
    errors.push(specError('objective.cwd', 'folder-exists', o.cwd, `no such folder: ${o.cwd}`))
  const program = o.run[0]
  if (program.includes('/')) {
    const file = path.resolve(o.cwd ?? '.', program)
    if (!isProgram(file))
      errors.push(
        specError('objective.run[0]', 'program-exists', program, `no such program: ${file}`),
      )
  } else {
    const dirs = (o.env?.PATH ?? process.env.PATH ?? '').split(path.delimiter).filter(Boolean)
    if (!dirs.some((d) => isProgram(path.join(d, program))))
      errors.push(
        specError(
          'objective.run[0]',
          'program-exists',
          program,
          `no program ${JSON.stringify(program)} on the PATH`,
        ),
      )
  }
  return errors
}

/** The files and programs of a spec whose paths are already absolute (resolveSpecPaths). */
export function checkSpecFiles(spec: StudySpec): SpecError[] {
  const o = spec.objective
  if (o.kind === 'command') return commandErrors(o)
  return dataFiles(o).flatMap(({ at, file, max }) => dataFileError(at, file, max) ?? [])
}
