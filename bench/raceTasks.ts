// The race's tasks: the synthetic suite, tabular benchmark tables (a lookup per trial), and XGBoost
// on CSV data sets (real training, so fewer seeds and budgets). Every task is minimized as a loss;
// regret = loss − the best loss possible where that is known.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { tableDecoders } from '../test/helpers/tableDecoders.ts'
import { parseSearchSpace, type Config, type SearchSpace } from '../src/shared/searchSpace.ts'
import type { Direction } from '../src/shared/study.ts'
import { PAPER_XGBOOST_SPACE } from './benchUtil.ts'
import {
  SYNTHETIC_FUNCTIONS,
  syntheticFunction,
  type SyntheticFunctionName,
} from '../src/shared/syntheticFunctions.ts'
import {
  parseTabularBytes,
  tableBest,
  tableValue,
  type TabularTable,
} from '../src/shared/tabularTable.ts'

const HERE = path.dirname(fileURLToPath(import.meta.url))
/** Development data of the team's shared folder (bench/ may read it; the product never does). */
export const SHARED_TABLES = path.resolve(HERE, '../../shared/benchmarks/tabular')
export const SHARED_DATASETS = path.resolve(HERE, '../../shared/datasets')
/** Shipped with the product: a smaller table set, used when the shared folder is absent. */
export const BUNDLED_TABLES = path.resolve(HERE, '../resources/templates/tables')
export const BUNDLED_DATASETS = path.resolve(HERE, '../resources/datasets')

export type TaskFamily = 'synthetic' | 'tabular' | 'xgboost'

export interface RaceTask {
  name: string
  family: TaskFamily
  space: SearchSpace
  /** The loss of a configuration (minimized). */
  loss(config: Config): number | Promise<number>
  /** The best possible loss, when known (regret = loss − it); null: the race reports the loss itself. */
  optimum: number | null
}

/** What the race needs to name and build a task in any process. */
export interface TaskRef {
  name: string
  family: TaskFamily
  /** Table or data-set file. */
  file?: string
  /** A synthetic function under another name, in these dimensions (the overhead probe). */
  function?: SyntheticFunctionName
  dimensions?: number
}

export function syntheticRefs(): TaskRef[] {
  return SYNTHETIC_FUNCTIONS.map((name) => ({ name, family: 'synthetic' as const }))
}

/** The tables of a folder (*.json, *.json.gz, *.csv), by file name. */
export function tableRefs(dir: string): TaskRef[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((f) => /\.(json|json\.gz|csv)$/.test(f))
    .sort()
    .map((f) => ({
      name: f.replace(/\.(json|json\.gz|csv)$/, ''),
      family: 'tabular' as const,
      file: path.join(dir, f),
    }))
}

export function datasetRefs(dir: string, names: readonly string[]): TaskRef[] {
  return names
    .map((n) => path.join(dir, `${n}.csv`))
    .filter((f) => existsSync(f))
    .map((file) => ({
      name: `xgb-${path.basename(file, '.csv')}`,
      family: 'xgboost' as const,
      file,
    }))
}

const tables = new Map<string, TabularTable>()

export function readTable(file: string): TabularTable {
  let table = tables.get(file)
  if (!table) {
    const parsed = parseTabularBytes(readFileSync(file), file, tableDecoders)
    if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('\n'))
    table = parsed.value
    tables.set(file, table)
  }
  return table
}

async function xgboostTask(ref: TaskRef): Promise<RaceTask> {
  const { createGbdtObjective } = await import('../src/worker/objectives/gbdtObjective.ts')
  const { objectiveSpecSchema } = await import('../src/shared/objectiveSpec.ts')
  const parsed = parseSearchSpace(PAPER_XGBOOST_SPACE)
  if (!parsed.ok) throw new Error('bad xgboost space')
  const spec = objectiveSpecSchema.parse({
    kind: 'gbdt',
    dataset: ref.file,
    fixed: { tree_method: 'hist' },
  })
  if (spec.kind !== 'gbdt') throw new Error('unreachable')
  // validation log-loss: continuous, so it separates tuners where 30-row accuracy cannot
  const objective = createGbdtObjective(spec, { metric: 'logloss', resources: { nthread: 1 } })
  let trial = 0
  return {
    name: ref.name,
    family: 'xgboost',
    space: parsed.value,
    optimum: null,
    async loss(config) {
      const result = await objective.run(config, {
        trialNumber: trial++,
        seed: 0,
        trialDir: '/tmp',
        report: () => {},
        log: () => {},
        attr: () => {},
        signal: new AbortController().signal,
      })
      return result.value
    },
  }
}

export async function buildTask(ref: TaskRef): Promise<RaceTask> {
  if (ref.family === 'synthetic') {
    const fn = syntheticFunction(
      ref.function ?? (ref.name as SyntheticFunctionName),
      ref.dimensions,
    )
    return {
      name: ref.name,
      family: 'synthetic',
      space: { params: fn.params },
      loss: (c) => fn.evaluate(c),
      optimum: fn.optimum,
    }
  }
  if (ref.family === 'tabular') {
    const table = readTable(ref.file!)
    const direction: Direction = table.direction ?? 'minimize'
    const sign = direction === 'minimize' ? 1 : -1
    return {
      name: ref.name,
      family: 'tabular',
      space: table.space,
      loss: (c) => sign * tableValue(table, c),
      optimum: sign * tableBest(table, direction),
    }
  }
  return xgboostTask(ref)
}
