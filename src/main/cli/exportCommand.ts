// Runs in the CLI: `export NAME --format json|yaml|csv [--top K | --trial N] [--out FILE] [--model FILE]`.
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
  o: { format: ExportFormat; top?: number; trial?: number; out?: string; model?: string },
): Promise<number> {
  const study = requireStudy(store, name)
  let trials = store.listTrials(study.id)
  if (o.trial !== undefined) {
    if (o.top !== undefined) throw new CliError(EXIT.badInput, 'give --top or --trial, not both')
    trials = trials.filter((t) => t.number === o.trial)
    if (!trials.length)
      throw new CliError(EXIT.badInput, `study "${study.name}" has no trial ${o.trial}`)
  }
  if (o.model) {
    let saved: { trialNumber: number; description: string }
    try {
      saved = await saveBestModel(store, study, createNodeChildHost(), o.model, o.trial)
    } catch (e) {
      throw new CliError(EXIT.badInput, (e as Error).message)
    }
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
      `wrote ${o.top ? `the top ${o.top} trials` : o.trial !== undefined ? `trial ${o.trial}` : `${trials.length} trials`} of "${study.name}" to ${o.out}`,
    )
  } else process.stdout.write(text)
  return EXIT.ok
}
