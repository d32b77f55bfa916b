// Runs in a trial worker: the `tabular` objective replays a benchmark table (a lookup, no training).
// The table is read once per worker process.
import { readFileSync } from 'node:fs'
import { parse as parseCsv } from 'csv-parse/sync'
import { gunzipSync } from 'node:zlib'
import type { Objective } from '../../shared/objective.ts'
import type { ObjectiveSpec } from '../../shared/objectiveSpec.ts'
import { parseTabularBytes, tableValue, type TabularTable } from '../../shared/tabularTable.ts'

const tables = new Map<string, TabularTable>()

function readTable(file: string): TabularTable {
  let table = tables.get(file)
  if (!table) {
    const parsed = parseTabularBytes(readFileSync(file), file, { gunzip: gunzipSync, parseCsv })
    if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('\n'))
    table = parsed.value
    tables.set(file, table)
  }
  return table
}

export function createTabularObjective(
  spec: Extract<ObjectiveSpec, { kind: 'tabular' }>,
): Objective {
  const table = readTable(spec.table)
  return {
    async run(params) {
      return { value: tableValue(table, params), backend: `table ${table.name}` }
    },
  }
}
