// Runs in main (CLI `export` and the app): a study's trials or its top K as JSON, YAML or CSV. The YAML
// is a study file (`hpo-studio run` accepts it and runs the same study) with the trials under `results`.
// Plain data in, text out: callers read the store, so the CLI, the app and tests share these writers.
import { stringify as toYaml } from 'yaml'
import { bestTrial, ranksForBest } from '../../shared/bestTrial.ts'
import { searchSpaceToRaw, type Config, type ParamValue } from '../../shared/searchSpace.ts'
import type { Direction, StudyRecord, StudyState } from '../../shared/study.ts'
import { studySpecToRaw } from '../../shared/studySpec.ts'
import type { Json, TrialRecord, TrialState } from '../../shared/trial.ts'

export type ExportFormat = 'json' | 'yaml' | 'csv'
export const EXPORT_FORMATS: readonly ExportFormat[] = ['json', 'yaml', 'csv']

export interface ExportOptions {
  format: ExportFormat
  /** The K best complete trials, best first; every trial in number order when absent. */
  top?: number
}

export interface ExportedTrial {
  number: number
  state: TrialState
  value: number | null
  params: Config
  durationSeconds: number | null
  startedAt: string | null
  finishedAt: string | null
  /** Only when the trial has any. */
  userAttrs?: Record<string, Json>
  /** Only for a trial that did not complete and says why: failed, pruned or interrupted. */
  error?: string
  /** Only for the configuration scored on the held-out test set. */
  testScore?: number
}

/** What the JSON and YAML exports contain. */
export interface ExportDocument {
  study: string
  direction: Direction
  metric: string
  objective: string
  state: StudyState
  seed: number
  /** Values the objective always used on top of each trial's params (gbdt, cnn `fixed`). */
  fixed: Config
  space: Record<string, Record<string, unknown>>
  bestTrial: ExportedTrial | null
  /** K when the export is a top K, null when it lists every trial. */
  top: number | null
  trials: ExportedTrial[]
}

/** Complete trials with a finite value, best first (ties: the earlier trial first). Pruned and failed never rank. */
export function rankTrials(direction: Direction, trials: readonly TrialRecord[]): TrialRecord[] {
  const sign = direction === 'minimize' ? 1 : -1
  return trials
    .filter(ranksForBest)
    .sort((a, b) => sign * ((a.value as number) - (b.value as number)) || a.number - b.number)
}

function checkTop(top: number | undefined): void {
  if (top !== undefined && !(Number.isInteger(top) && top >= 1))
    throw new RangeError(`top must be an integer >= 1, got ${top}`)
}

/** The trials an export writes: every trial in number order, or the top K best first. */
export function selectExportTrials(
  direction: Direction,
  trials: readonly TrialRecord[],
  top?: number,
): TrialRecord[] {
  checkTop(top)
  if (top !== undefined) return rankTrials(direction, trials).slice(0, top)
  return [...trials].sort((a, b) => a.number - b.number)
}

export function trialDurationSeconds(
  t: Pick<TrialRecord, 'startedAt' | 'finishedAt'>,
): number | null {
  if (!t.startedAt || !t.finishedAt) return null
  const ms = Date.parse(t.finishedAt) - Date.parse(t.startedAt)
  return Number.isFinite(ms) ? Math.round(ms) / 1000 : null
}

function exportedTrial(t: TrialRecord): ExportedTrial {
  const out: ExportedTrial = {
    number: t.number,
    state: t.state,
    value: t.value,
    params: t.params,
    durationSeconds: trialDurationSeconds(t),
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
  }
  if (Object.keys(t.userAttrs ?? {}).length) out.userAttrs = t.userAttrs
  if (t.error) out.error = t.error
  if (t.testScore !== null && t.testScore !== undefined) out.testScore = t.testScore
  return out
}

export function buildExportDocument(
  study: StudyRecord,
  trials: readonly TrialRecord[],
  top?: number,
): ExportDocument {
  const { spec } = study
  const best = bestTrial(spec.direction, trials)
  const objective = spec.objective
  return {
    study: study.name,
    direction: spec.direction,
    metric: spec.metric,
    objective: objective.kind,
    state: study.state,
    seed: study.seed,
    fixed: objective.kind === 'gbdt' || objective.kind === 'cnn' ? objective.fixed : {},
    space: searchSpaceToRaw(spec.space),
    bestTrial: best ? exportedTrial(best) : null,
    top: top ?? null,
    trials: selectExportTrials(spec.direction, trials, top).map(exportedTrial),
  }
}

/** What the YAML export writes under `results`: the study's trials when it was exported. */
export interface ExportResults {
  state: StudyState
  bestTrial: ExportedTrial | null
  top: number | null
  trials: ExportedTrial[]
}

/**
 * The YAML export: the study file of the study, its recorded seed included (so `hpo-studio run` runs
 * the same study again, or continues it in the same database), and its trials under `results`,
 * which `run` does not read.
 */
export function buildStudyFileExport(
  study: StudyRecord,
  trials: readonly TrialRecord[],
  top?: number,
): Record<string, unknown> & { results: ExportResults } {
  const doc = buildExportDocument(study, trials, top)
  return {
    ...studySpecToRaw({ ...study.spec, seed: study.seed }),
    results: { state: doc.state, bestTrial: doc.bestTrial, top: doc.top, trials: doc.trials },
  }
}

function studyFileYaml(study: StudyRecord, trials: readonly TrialRecord[], top?: number): string {
  const doc = buildStudyFileExport(study, trials, top)
  const header = [
    `# HPO Studio export of study "${study.name}" (${doc.results.trials.length} trials${top ? `, the top ${top}` : ''}).`,
    '# A study file: `hpo-studio run THIS_FILE` runs this study again (same space, tuner and seed),',
    '# or continues it in the database it came from. `results` lists its trials; run does not read it.',
  ]
  const body = toYaml(doc, {
    lineWidth: 0,
    // the best trial is also in the list: write it twice rather than as an &anchor/*alias
    aliasDuplicateObjects: false,
  })
  return `${header.join('\n')}\n${body}`
}

const FIXED_COLUMNS = ['number', 'state', 'value'] as const
const TRAILING_COLUMNS = [
  'duration_seconds',
  'started_at',
  'finished_at',
  'test_score',
  'error',
  'user_attrs',
] as const

/** One column per parameter: the space's order, then any name only trials have (sorted). */
export function paramColumns(study: StudyRecord, trials: readonly TrialRecord[]): string[] {
  const names = study.spec.space.params.map((p) => p.name)
  const known = new Set(names)
  const extra = new Set<string>()
  for (const t of trials) for (const k of Object.keys(t.params)) if (!known.has(k)) extra.add(k)
  return [...names, ...[...extra].sort()]
}

/** RFC 4180: quoted when it holds a comma, a quote, a line break or edge spaces. */
export function csvField(v: ParamValue | null | undefined): string {
  if (v === null || v === undefined) return ''
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v)
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/**
 * CSV: number, state, value, one column per parameter (blank where inactive), duration_seconds,
 * started_at, finished_at, test_score, error, user_attrs (JSON). A parameter named like a fixed
 * column gets the header `params.NAME`.
 */
export function trialsToCsv(
  study: StudyRecord,
  trials: readonly TrialRecord[],
  top?: number,
): string {
  const rows = selectExportTrials(study.spec.direction, trials, top)
  const params = paramColumns(study, trials)
  const reserved = new Set<string>([...FIXED_COLUMNS, ...TRAILING_COLUMNS])
  const header = [
    ...FIXED_COLUMNS,
    ...params.map((p) => (reserved.has(p) ? `params.${p}` : p)),
    ...TRAILING_COLUMNS,
  ]
  const lines = [header.map(csvField).join(',')]
  for (const t of rows) {
    const attrs = Object.keys(t.userAttrs ?? {}).length ? JSON.stringify(t.userAttrs) : null
    lines.push(
      [
        t.number,
        t.state,
        t.value,
        ...params.map((p) => t.params[p]),
        trialDurationSeconds(t),
        t.startedAt,
        t.finishedAt,
        t.testScore,
        t.error,
        attrs,
      ]
        .map(csvField)
        .join(','),
    )
  }
  return lines.join('\n') + '\n'
}

/** The text of an export; throws a RangeError for a top that is not an integer >= 1. */
export function exportTrials(
  study: StudyRecord,
  trials: readonly TrialRecord[],
  options: ExportOptions,
): string {
  checkTop(options.top)
  switch (options.format) {
    case 'csv':
      return trialsToCsv(study, trials, options.top)
    case 'json':
      return JSON.stringify(buildExportDocument(study, trials, options.top), null, 2) + '\n'
    case 'yaml':
      return studyFileYaml(study, trials, options.top)
    default:
      throw new RangeError(
        `format must be one of ${EXPORT_FORMATS.join(', ')}, got ${String(options.format)}`,
      )
  }
}
