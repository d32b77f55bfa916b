// Runs in the CLI: `export NAME --format json|yaml|csv [--top K] [--out FILE] [--model FILE]`.
import { writeFileSync } from 'node:fs'
import { exportTrials, type ExportFormat } from '../export/exportTrials.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { saveBestModel } from '../runner/bestConfigTasks.ts'
import { createNodeChildHost } from '../workers/nodeChildHost.ts'
import { CliError, EXIT } from './cliOutput.ts'
import { requireStudy } from './studyCommands.ts'

export async function exportCommand(
  store: StudyStore,
  name: string,
  o: { format: ExportFormat; top?: number; out?: string; model?: string },
): Promise<number> {
  const study = requireStudy(store, name)
  const trials = store.listTrials(study.id)
  if (o.model) {
    const saved = await saveBestModel(store, study, createNodeChildHost(), o.model)
    console.error(
      `saved the model of trial ${saved.trialNumber} (${saved.description}) to ${o.model}`,
    )
  }
  const text = exportTrials(study, trials, { format: o.format, top: o.top })
  if (o.out) {
    try {
      writeFileSync(o.out, text)
    } catch (e) {
      throw new CliError(EXIT.badInput, `cannot write ${o.out}: ${(e as Error).message}`)
    }
    console.error(
      `wrote ${o.top ? `the top ${o.top} trials` : `${trials.length} trials`} of "${study.name}" to ${o.out}`,
    )
  } else process.stdout.write(text)
  return EXIT.ok
}
