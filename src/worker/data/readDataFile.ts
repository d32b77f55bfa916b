// Runs in a trial worker: the one way data files are read — a regular file (not /dev/zero, a FIFO or
// a folder), no bigger than its kind allows, so a wrong path fails at once instead of reading forever.
import { readFileSync, statSync } from 'node:fs'

export class DataFileError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`)
    this.name = 'DataFileError'
  }
}

export function readDataFile(file: string, maxBytes: number): Buffer {
  let size: number
  try {
    const s = statSync(file)
    if (!s.isFile()) throw new DataFileError(file, 'not a regular file')
    size = s.size
  } catch (e) {
    if (e instanceof DataFileError) throw e
    const err = e as NodeJS.ErrnoException
    throw new DataFileError(file, err.code === 'ENOENT' ? 'file not found' : err.message)
  }
  if (size > maxBytes)
    throw new DataFileError(file, `${size} bytes, more than the ${maxBytes} a data file may have`)
  return readFileSync(file)
}
