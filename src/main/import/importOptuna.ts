// Runs in main (CLI `import-optuna`, the app's "Open an Optuna database"): what an Optuna file holds, and
// its studies written into the store. Every study is read and mapped before anything is written; each
// study is then written in one transaction, so a failure leaves no half-imported study.
import { randomInt } from 'node:crypto'
import path from 'node:path'
import type { StudyStore } from '../store/studyStore.ts'
import { OptunaImportError, type OptunaFile, type OptunaState } from './optunaStudy.ts'
import { mapOptunaStudy, type MappedStudy, type OptunaMapOptions } from './optunaToStudy.ts'
import { readOptunaFile } from './readOptunaFile.ts'

export interface OptunaImportRequest {
  file: string
  /** Names of the Optuna studies to import; all of them when absent. */
  studies?: string[]
  /** A new name, for a single study. */
  name?: string
  tuner?: Record<string, unknown>
  pruner?: Record<string, unknown>
  moreTrials?: number
}

export interface OptunaStudyPreview {
  name: string
  directions: string[]
  trials: Partial<Record<OptunaState, number>>
  params: string[]
  /** Why it cannot be imported; empty when it can. */
  problems: string[]
  skipped: string[]
  /** A study of this name already exists here. */
  nameTaken: boolean
}

export interface OptunaImported {
  optunaName: string
  studyId: number
  name: string
  trials: number
  skipped: string[]
}

const sourceOf = (f: OptunaFile): string =>
  `${path.basename(f.path)} (${f.format === 'rdb' ? `Optuna RDB${f.libraryVersion ? ` ${f.libraryVersion}` : ''}, schema ${f.schema}` : 'Optuna JournalStorage'})`

function countStates(states: OptunaState[]): Partial<Record<OptunaState, number>> {
  const out: Partial<Record<OptunaState, number>> = {}
  for (const s of states) out[s] = (out[s] ?? 0) + 1
  return out
}

/** Reads an Optuna file and says, for each study, whether and how it would import. Writes nothing. */
export function previewOptunaFile(
  store: StudyStore,
  file: string,
): { format: OptunaFile['format']; schema: string; studies: OptunaStudyPreview[] } {
  const f = readOptunaFile(file)
  return {
    format: f.format,
    schema: f.schema,
    studies: f.studies.map((s) => {
      const mapped = mapOptunaStudy(s, { source: sourceOf(f) })
      return {
        name: s.name,
        directions: s.directions,
        trials: countStates(s.trials.map((t) => t.state)),
        params: [...new Set(s.trials.flatMap((t) => Object.keys(t.distributions)))],
        problems: mapped.ok ? [] : mapped.problems,
        skipped: mapped.ok ? mapped.value.skipped : [],
        nameTaken: store.getStudy(s.name) !== null,
      }
    }),
  }
}

/** Imports the chosen studies of an Optuna file; throws OptunaImportError before writing when any cannot be. */
export function importOptuna(store: StudyStore, req: OptunaImportRequest): OptunaImported[] {
  const f = readOptunaFile(req.file)
  const names = f.studies.map((s) => s.name)
  const chosen = req.studies ?? names
  for (const n of chosen)
    if (!names.includes(n))
      throw new OptunaImportError(
        'STUDY_NOT_FOUND',
        `${path.basename(req.file)} has no Optuna study named ${JSON.stringify(n)} (studies: ${names.map((x) => JSON.stringify(x)).join(', ') || 'none'})`,
      )
  if (!chosen.length)
    throw new OptunaImportError('STUDY_NOT_FOUND', `${path.basename(req.file)} has no studies`)
  if (req.name !== undefined && chosen.length !== 1)
    throw new OptunaImportError(
      'NAME_TAKEN',
      `a new name is for one study; ${path.basename(req.file)} has ${chosen.length} (choose one with --study)`,
    )
  const options: OptunaMapOptions = {
    source: sourceOf(f),
    tuner: req.tuner,
    pruner: req.pruner,
    moreTrials: req.moreTrials,
    name: req.name,
  }
  const problems: string[] = []
  const mapped: [string, MappedStudy][] = []
  for (const n of chosen) {
    const r = mapOptunaStudy(
      f.studies.find((s) => s.name === n)!,
      options,
    )
    if (!r.ok) problems.push(...r.problems.map((p) => `study "${n}": ${p}`))
    else mapped.push([n, r.value])
  }
  if (problems.length) throw new OptunaImportError('UNMAPPABLE', problems.join('\n'))
  const taken = mapped.filter(([, m]) => store.getStudy(m.spec.name))
  if (taken.length)
    throw new OptunaImportError(
      'NAME_TAKEN',
      `${taken.map(([, m]) => `"${m.spec.name}"`).join(', ')} already exist${taken.length === 1 ? 's' : ''} in ${store.path}; import one study under another name with --study NAME --name NEW`,
    )
  return mapped.map(([optunaName, m]) => {
    const study = store.importStudy({ ...m.spec, seed: randomInt(0, 2 ** 31 - 1) }, m.trials)
    return {
      optunaName,
      studyId: study.id,
      name: study.name,
      trials: m.trials.length,
      skipped: m.skipped,
    }
  })
}
