// Runs in main: an analysis worker's failure as the StudioApi's error data (a timeout or a bad data file
// is not an internal bug).
import { StudioError } from '../../shared/studioApi.ts'
import { WorkerRequestError } from '../workers/workerClient.ts'

export async function viaWorker<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (e) {
    if (!(e instanceof WorkerRequestError)) throw e
    if (e.code === 'DATASET_INVALID') throw new StudioError('DATASET_INVALID', e.message)
    if (e.code === 'BAD_REQUEST') throw new StudioError('BAD_ARGS', `${what}: ${e.message}`)
    if (e.code === 'TIMEOUT')
      throw new StudioError('TOO_LARGE', `${what} ran past its time budget: ${e.message}`)
    throw new StudioError('INTERNAL', `${what}: ${e.message}`)
  }
}
