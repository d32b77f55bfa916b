// Runs in main: the CLI's exports (JSON, YAML, CSV) and snippets, for the app's download buttons.
import type { ExportFile, ExportRequest, SnippetView } from '../../shared/analysisViews.ts'
import { StudioError } from '../../shared/studioApi.ts'
import { exportTrials, type ExportFormat } from './exportTrials.ts'
import { buildSnippets, type SnippetOptions } from './snippets.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { requireStudy } from '../views/requireStudy.ts'

const MIME: Record<ExportFormat, string> = {
  json: 'application/json',
  yaml: 'application/yaml',
  csv: 'text/csv',
}

export function exportStudyFile(
  store: StudyStore,
  studyId: number,
  request: ExportRequest,
): ExportFile {
  const study = requireStudy(store, studyId)
  let trials = store.listTrials(studyId)
  if (request.trials) {
    const wanted = new Set(request.trials)
    trials = trials.filter((t) => wanted.has(t.number))
  }
  const text = exportTrials(study, trials, { format: request.format, top: request.top })
  const suffix = request.top
    ? `-top${request.top}`
    : request.trials
      ? `-${trials.length}-trials`
      : ''
  return {
    fileName: `${study.name}${suffix}.${request.format}`,
    mimeType: MIME[request.format],
    text,
  }
}

/** Classes and image shape of the study's training data, as the snippets need them. */
function snippetOptions(store: StudyStore, studyId: number): SnippetOptions {
  const train = store.listStudyDatasets(studyId).find((d) => d.role === 'train')?.dataset
  if (!train) return {}
  const classes = Object.keys(train.classCounts).length
  const options: SnippetOptions = classes > 0 ? { numClasses: classes } : {}
  if (train.kind === 'images' && train.shape.length >= 3)
    options.inputShape = [train.shape[1], train.shape[2], train.shape[3] ?? 1]
  return options
}

export function trialSnippets(
  store: StudyStore,
  studyId: number,
  trialNumber: number,
): SnippetView[] {
  const study = requireStudy(store, studyId)
  const trial = store.getTrial(studyId, trialNumber)
  if (!trial)
    throw new StudioError('TRIAL_NOT_FOUND', `study ${studyId} has no trial ${trialNumber}`)
  return buildSnippets(study, trial, snippetOptions(store, studyId))
}
