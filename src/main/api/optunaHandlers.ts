// Runs in main: the StudioApi side of "Open an Optuna database". A browser uploads the file, which is kept
// in an `imports` folder beside the database so the import that follows reads the same bytes.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { OptunaSource } from '../../shared/optunaImportApi.ts'
import { StudioError, type StudioApi } from '../../shared/studioApi.ts'
import { importOptuna, previewOptunaFile } from '../import/importOptuna.ts'
import { OptunaImportError } from '../import/optunaStudy.ts'
import type { StudyStore } from '../store/studyStore.ts'
import type { HandlerContext } from './handlerContext.ts'

const CODES = {
  STUDY_NOT_FOUND: 'STUDY_NOT_FOUND',
  NAME_TAKEN: 'STUDY_NAME_TAKEN',
} as const

/** An OptunaImportError as the StudioError the renderer branches on. */
export function optunaStudioError(e: OptunaImportError): StudioError {
  const code = e.code in CODES ? CODES[e.code as keyof typeof CODES] : 'IMPORT_INVALID'
  return new StudioError(code, e.message, { reason: e.code })
}

async function sourcePath(store: StudyStore, source: OptunaSource): Promise<string> {
  if ('path' in source) return source.path
  const dir = path.join(
    store.path === ':memory:' ? os.tmpdir() : path.dirname(path.resolve(store.path)),
    'imports',
  )
  await fs.mkdir(dir, { recursive: true })
  const name = path
    .basename(source.fileName)
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^\.+/, '')
  const file = path.join(dir, `${Date.now()}-${name || 'optuna.db'}`)
  await fs.writeFile(file, Buffer.from(source.contentBase64, 'base64'))
  return file
}

const rethrow = (e: unknown): never => {
  throw e instanceof OptunaImportError ? optunaStudioError(e) : e
}

export type OptunaMethod = 'previewOptunaFile' | 'importOptunaStudies'

export function optunaHandlers(ctx: HandlerContext): Pick<StudioApi, OptunaMethod> {
  const { store } = ctx
  return {
    async previewOptunaFile(source) {
      const file = await sourcePath(store, source)
      try {
        return { path: file, ...previewOptunaFile(store, file) }
      } catch (e) {
        return rethrow(e)
      }
    },
    async importOptunaStudies(req) {
      try {
        const imported = importOptuna(store, {
          file: req.path,
          studies: req.studies,
          name: req.name,
          tuner: req.tuner ? { kind: req.tuner } : undefined,
          pruner: req.pruner ? { kind: req.pruner } : undefined,
          moreTrials: req.moreTrials,
        })
        return ctx.changed(imported)
      } catch (e) {
        return rethrow(e)
      }
    },
  }
}
