// Runs in main: any error a handler throws, as the error data the StudioApi returns (the renderer
// branches on the code, shows the message).
import { SpecValidationError } from '../../shared/specError.ts'
import { StudioError, type StudioErrorData } from '../../shared/studioApi.ts'
import { StoreError } from '../store/studyStore.ts'

const STORE_CODES: Record<string, StudioErrorData['code']> = {
  STUDY_NAME_TAKEN: 'STUDY_NAME_TAKEN',
  STUDY_NOT_FOUND: 'STUDY_NOT_FOUND',
  TRIAL_NOT_FOUND: 'TRIAL_NOT_FOUND',
  BAD_STATE: 'BAD_STATE',
}

/** Any thrown value as error data the renderer can branch on. */
export function toErrorData(error: unknown): StudioErrorData {
  if (error instanceof StudioError) return error.toData()
  if (error instanceof SpecValidationError)
    return { code: 'SPEC_INVALID', message: error.message, details: error.errors }
  if (error instanceof StoreError)
    return { code: STORE_CODES[error.code] ?? 'INTERNAL', message: error.message }
  const message = error instanceof Error ? error.message : String(error)
  if (error instanceof Error && error.name === 'LeaseHeldError') {
    const holder = (error as Error & { holder?: { pid: number; host: string } }).holder
    return holder
      ? { code: 'LEASE_HELD', message, details: { pid: holder.pid, host: holder.host } }
      : { code: 'LEASE_HELD', message }
  }
  return { code: 'INTERNAL', message }
}
