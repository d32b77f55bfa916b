// Runs in main: reads a study file (YAML or JSON), validates it, and makes its paths absolute
// (relative paths are relative to the study file, study-file.md).
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parseDocument } from 'yaml'
import { specError, type Parsed, type SpecError } from '../../shared/specError.ts'
import { parseStudySpec, type StudySpec } from '../../shared/studySpec.ts'
import { checkSpecFiles } from './specFiles.ts'

export function resolveSpecPaths(spec: StudySpec, baseDir: string): StudySpec {
  const abs = (p: string): string => (path.isAbsolute(p) ? p : path.resolve(baseDir, p))
  const o = spec.objective
  switch (o.kind) {
    case 'gbdt':
      return {
        ...spec,
        objective: {
          ...o,
          dataset: abs(o.dataset),
          ...('file' in o.validation ? { validation: { file: abs(o.validation.file) } } : {}),
          ...(o.test ? { test: abs(o.test) } : {}),
        },
      }
    case 'cnn':
      return typeof o.dataset === 'string'
        ? spec
        : {
            ...spec,
            objective: {
              ...o,
              dataset: { images: abs(o.dataset.images), labels: abs(o.dataset.labels) },
            },
          }
    case 'command': {
      const cwd = abs(o.cwd ?? '.')
      const program =
        o.run[0].startsWith('./') || o.run[0].startsWith('../')
          ? path.resolve(cwd, o.run[0])
          : o.run[0]
      return { ...spec, objective: { ...o, cwd, run: [program, ...o.run.slice(1)] } }
    }
    case 'synthetic':
      return spec
  }
}

/** Alias expansions a study file may use: real files use a few; an alias bomb uses billions. */
const MAX_ALIAS_COUNT = 100

function aliasError(e: Error, fileName: string): SpecError {
  const unresolved = /^Unresolved alias.*: (.*)$/.exec(e.message)
  if (unresolved)
    return specError(
      fileName,
      'alias',
      unresolved[1],
      `the alias *${unresolved[1]} has no anchor &${unresolved[1]} before it`,
    )
  if (/alias count/i.test(e.message))
    return specError(
      fileName,
      'alias',
      null,
      `too many aliases (a study file uses at most ${MAX_ALIAS_COUNT} alias expansions)`,
    )
  return specError(fileName, 'syntax', null, `cannot read the YAML: ${e.message}`)
}

/** Parses study-file text; YAML syntax errors name the line and column. */
export function parseStudyText(
  text: string,
  baseDir: string,
  fileName = 'study file',
): Parsed<StudySpec> {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true })
  if (doc.errors.length) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const at = e.linePos?.[0]
        const where = at ? `line ${at.line}, column ${at.col}` : 'unknown position'
        return specError(
          `(file)`,
          'syntax',
          where,
          `${fileName} is not valid YAML/JSON at ${where}: ${e.message.split('\n')[0]}`,
        )
      }),
    }
  }
  let raw: unknown
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
  } catch (e) {
    return { ok: false, errors: [aliasError(e as Error, fileName)] }
  }
  const parsed = parseStudySpec(raw)
  return parsed.ok ? { ok: true, value: resolveSpecPaths(parsed.value, baseDir) } : parsed
}

export function loadStudyFile(file: string): Parsed<StudySpec> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    return {
      ok: false,
      errors: [
        specError('(file)', 'readable', file, `cannot read ${file}: ${(e as Error).message}`),
      ],
    }
  }
  const parsed = parseStudyText(text, path.dirname(path.resolve(file)), path.basename(file))
  if (!parsed.ok) return parsed
  const errors = checkSpecFiles(parsed.value)
  return errors.length ? { ok: false, errors } : parsed
}
