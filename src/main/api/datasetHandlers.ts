// Runs in main: the StudioApi methods of the data-set field — check a file, upload one (browser), pick
// one (Electron's dialog).
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { StudioError, type StudioApi } from '../../shared/studioApi.ts'
import { checkCsv, checkDataset } from '../files/datasetCheck.ts'
import { storeUpload } from '../files/datasetUploads.ts'
import type { HandlerContext } from './handlerContext.ts'

export type DatasetMethod = 'checkDataset' | 'uploadDataset' | 'pickDatasetFile'

export function datasetHandlers(ctx: HandlerContext): Pick<StudioApi, DatasetMethod> {
  const { uploadLimit, options } = ctx
  return {
    async checkDataset(ref) {
      return checkDataset(ref)
    },
    async uploadDataset(file) {
      if (file.contentBase64.length > Math.ceil(uploadLimit / 3) * 4 + 4)
        throw new StudioError(
          'TOO_LARGE',
          `${file.fileName} is larger than the upload limit of ${uploadLimit} bytes`,
        )
      const bytes = Buffer.from(file.contentBase64, 'base64')
      if (bytes.length > uploadLimit)
        throw new StudioError(
          'TOO_LARGE',
          `${file.fileName} is ${bytes.length} bytes, the upload limit is ${uploadLimit}`,
        )
      const target = await storeUpload(
        path.join(options.datasetDir, 'uploads'),
        file.fileName,
        bytes,
      )
      if (!/\.csv$/i.test(target)) return { path: target, summary: null }
      try {
        return { path: target, summary: await checkCsv(target) }
      } catch (e) {
        await fs.rm(target, { force: true })
        throw e
      }
    },
    async pickDatasetFile(opts) {
      if (!options.pickFile)
        throw new StudioError(
          'UNSUPPORTED',
          'files are picked in the desktop app; in a browser, upload the file',
        )
      return options.pickFile(opts)
    },
  }
}
