// Runs in main: reads a tabular objective's table for the study-file checks (the trial worker reads
// it again to replay it). Kept while the file is unchanged, so validating a study twice reads it once.
import { readFileSync, statSync } from 'node:fs'
import { parse as parseCsv } from 'csv-parse/sync'
import { gunzipSync } from 'node:zlib'
import { specError, type Parsed } from '../../shared/specError.ts'
import { parseTabularBytes, type TabularTable } from '../../shared/tabularTable.ts'

let last: { key: string; parsed: Parsed<TabularTable> } | null = null

export function readTabularTable(file: string): Parsed<TabularTable> {
  let key: string
  try {
    const stat = statSync(file)
    if (!stat.isFile()) throw new Error('not a file')
    key = `${file}|${stat.size}|${stat.mtimeMs}`
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message
    return {
      ok: false,
      errors: [
        specError('objective.table', 'file-exists', file, `cannot read ${file} (${reason})`),
      ],
    }
  }
  if (last?.key !== key)
    last = {
      key,
      parsed: parseTabularBytes(readFileSync(file), file, { gunzip: gunzipSync, parseCsv }),
    }
  return last.parsed
}
