// Runs in main: the StudioApi methods of the data-set field — check a file (in the analysis worker, with
// the trainers' readers), upload one (browser), pick one (Electron's dialog), list the sample data sets.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import {
  StudioError,
  type DatasetRef,
  type DatasetSummary,
  type StudioApi,
} from '../../shared/studioApi.ts'
import { storeUpload } from '../files/datasetUploads.ts'
import { listSampleDatasets } from '../files/sampleDatasets.ts'
import type { HandlerContext } from './handlerContext.ts'
import { viaWorker } from './viaWorker.ts'

/** A 64 MB CSV takes seconds to parse on a slow machine; past this the check is refused as too large. */
const CHECK_TIMEOUT_MS = 120_000

export type DatasetMethod =
  'checkDataset' | 'uploadDataset' | 'pickDatasetFile' | 'listSampleDatasets'

export function datasetHandlers(ctx: HandlerContext): Pick<StudioApi, DatasetMethod> {
  const { uploadLimit, options } = ctx
  // In the analysis worker, with the readers the trainers use.
  const check = (ref: DatasetRef): Promise<DatasetSummary> =>
    viaWorker('data-set check', () =>
      ctx.analysis.heavy.request({ type: 'checkDataset', ref }, { timeoutMs: CHECK_TIMEOUT_MS }),
    )
  return {
    checkDataset: check,
    listSampleDatasets: () => listSampleDatasets(options.sampleDatasetsDir),
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
        const column = file.target === undefined ? {} : { target: file.target }
        return { path: target, summary: await check({ kind: 'tabular', path: target, ...column }) }
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
