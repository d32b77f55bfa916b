// The decoders a tabular table's reader lends to src/shared/tabularTable.ts, for tests and benches.
import { parse } from 'csv-parse/sync'
import { gunzipSync } from 'node:zlib'
import type { TableDecoders } from '../../src/shared/tabularTable.ts'

export { gzipSync } from 'node:zlib'
export const tableDecoders: TableDecoders = { gunzip: gunzipSync, parseCsv: parse }
