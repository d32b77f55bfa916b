// Runs in the CLI: `import-optuna FILE [--study NAME]… [--name NEW] [--tuner KIND|JSON] [--pruner KIND|JSON]`.
import { importOptuna, type OptunaImportRequest } from '../import/importOptuna.ts'
import { OptunaImportError } from '../import/optunaStudy.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { CliError, EXIT, printJson } from './cliOutput.ts'

export interface ImportOptunaOptions {
  study?: string[]
  name?: string
  tuner?: string
  pruner?: string
  trials?: number
  json?: boolean
}

/** `tpe` or `{"kind": "tpe", "multivariate": true}`: the study-file form of a tuner or pruner. */
function sectionOption(
  flag: string,
  text: string | undefined,
): Record<string, unknown> | undefined {
  if (text === undefined) return undefined
  if (!text.trim().startsWith('{')) return { kind: text.trim() }
  try {
    return JSON.parse(text) as Record<string, unknown>
  } catch (e) {
    throw new CliError(EXIT.badInput, `${flag} is not valid JSON: ${(e as Error).message}`)
  }
}

export function importOptunaCommand(store: StudyStore, file: string, o: ImportOptunaOptions): void {
  const request: OptunaImportRequest = {
    file,
    studies: o.study?.length ? o.study : undefined,
    name: o.name,
    tuner: sectionOption('--tuner', o.tuner),
    pruner: sectionOption('--pruner', o.pruner),
    moreTrials: o.trials,
  }
  let imported
  try {
    imported = importOptuna(store, request)
  } catch (e) {
    if (e instanceof OptunaImportError)
      throw new CliError(EXIT.badInput, `import-optuna: ${e.message}`)
    throw e
  }
  if (o.json) return printJson(imported)
  for (const s of imported) {
    const renamed = s.name === s.optunaName ? '' : ` as "${s.name}"`
    console.log(`imported the Optuna study "${s.optunaName}"${renamed}: ${s.trials} trials`)
    for (const line of s.skipped) console.log(`  ${line}`)
  }
  console.log(
    `continue with a client: hs.connect(URL, NAME).optimize(objective, n_trials) against hpo-studio serve --db ${store.path}`,
  )
}
