// The wire type of StudioApi.downloadTrialFile: a whole file of a trial's folder (an artifact), zod first.
import { z } from 'zod'

export const trialFileDownloadSchema = z.object({
  fileName: z.string(),
  sizeBytes: z.number().int().min(0),
  contentBase64: z.string(),
})
export type TrialFileDownload = z.infer<typeof trialFileDownloadSchema>
