// Runs in main: an Optuna storage file of either kind, told apart by its first bytes.
import { closeSync, openSync, readSync } from 'node:fs'
import path from 'node:path'
import { OptunaImportError, type OptunaFile } from './optunaStudy.ts'
import { readOptunaJournal } from './readOptunaJournal.ts'
import { readOptunaRdb } from './readOptunaRdb.ts'

const SQLITE_HEADER = 'SQLite format 3\u0000'

function firstBytes(file: string, n: number): Buffer {
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch (e) {
    throw new OptunaImportError('NOT_OPTUNA', `cannot read ${file}: ${(e as Error).message}`)
  }
  try {
    const buf = Buffer.alloc(n)
    return buf.subarray(0, readSync(fd, buf, 0, n, 0))
  } finally {
    closeSync(fd)
  }
}

/** Reads an Optuna RDB SQLite file or a JournalStorage file; anything else is NOT_OPTUNA. */
export function readOptunaFile(file: string): OptunaFile {
  const head = firstBytes(file, 64)
  if (head.subarray(0, 16).toString('latin1') === SQLITE_HEADER) return readOptunaRdb(file)
  if (head.toString('utf8').trimStart().startsWith('{"op_code"')) return readOptunaJournal(file)
  throw new OptunaImportError(
    'NOT_OPTUNA',
    `${path.basename(file)} is neither an Optuna SQLite storage (no SQLite header) nor a JournalStorage file (no {"op_code": …} line)`,
  )
}
