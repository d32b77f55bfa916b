// The wire types of "Open an Optuna database" (StudioApi previewOptunaFile / importOptunaStudies), zod first.
import { z } from 'zod'
import { TUNER_KINDS } from './tunerSpec.ts'
import { PRUNER_KINDS } from './prunerSpec.ts'

/** Largest Optuna file a browser may upload, as base64 text. */
export const OPTUNA_UPLOAD_BASE64_MAX = 96 * 1024 * 1024

/** A file this machine can read (desktop dialog, a typed path) or one a browser uploads. */
export const optunaSourceSchema = z.union([
  z.strictObject({ path: z.string().min(1) }),
  z.strictObject({
    fileName: z.string().min(1).max(200),
    contentBase64: z.string().max(OPTUNA_UPLOAD_BASE64_MAX),
  }),
])
export type OptunaSource = z.infer<typeof optunaSourceSchema>

const optunaState = z.enum(['RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING'])

export const optunaPreviewSchema = z.object({
  /** Where the file is read from (an upload is kept beside the database); import by this path. */
  path: z.string(),
  format: z.enum(['rdb', 'journal']),
  schema: z.string(),
  studies: z.array(
    z.object({
      name: z.string(),
      directions: z.array(z.string()),
      trials: z.partialRecord(optunaState, z.number()),
      params: z.array(z.string()),
      /** Why it cannot be imported; empty when it can. */
      problems: z.array(z.string()),
      skipped: z.array(z.string()),
      nameTaken: z.boolean(),
    }),
  ),
})
export type OptunaPreview = z.infer<typeof optunaPreviewSchema>

export const optunaImportRequestSchema = z.strictObject({
  path: z.string().min(1),
  /** Optuna study names; every study of the file when absent. */
  studies: z.array(z.string()).min(1).optional(),
  /** A new name, when one study is imported. */
  name: z.string().min(1).max(100).optional(),
  tuner: z.enum(TUNER_KINDS as [string, ...string[]]).optional(),
  pruner: z.enum(PRUNER_KINDS as [string, ...string[]]).optional(),
  moreTrials: z.number().int().min(1).max(1_000_000).optional(),
})
export type OptunaImportRequestArgs = z.infer<typeof optunaImportRequestSchema>

export const optunaImportedSchema = z.array(
  z.object({
    optunaName: z.string(),
    studyId: z.number().int(),
    name: z.string(),
    trials: z.number().int(),
    skipped: z.array(z.string()),
  }),
)
export type OptunaImportedStudies = z.infer<typeof optunaImportedSchema>
