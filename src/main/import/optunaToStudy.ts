// Runs in main: one Optuna study as an HPO Studio study and its trials, or every reason it cannot be.
// The study gets an `external` objective (trials come from clients that ask, as Optuna's did) and any
// tuner; its trials keep their Optuna numbers, states, values, intermediate values, attributes and times.
import { validateConfig } from '../../shared/spaceCodec.ts'
import type { Config } from '../../shared/searchSpace.ts'
import { parseStudySpec, STUDY_NAME_PATTERN, type StudySpec } from '../../shared/studySpec.ts'
import type { ImportedTrial } from '../store/studyStore.ts'
import { inferOptunaSpace } from './optunaSpace.ts'
import type { OptunaStudy, OptunaTrial } from './optunaStudy.ts'

export interface OptunaMapOptions {
  /** The new study's name (default: the Optuna study's). */
  name?: string
  /** Study-file form of the tuner and pruner (default tpe, none). */
  tuner?: Record<string, unknown>
  pruner?: Record<string, unknown>
  /** Trials the study may run after the imported ones (default 100). */
  moreTrials?: number
  /** What the notes say it came from: "studies.db (Optuna 3.1.0, schema v3.0.0.d)". */
  source: string
}

export interface MappedStudy {
  spec: StudySpec
  trials: ImportedTrial[]
  /** Trials and parameters left out, with why. */
  skipped: string[]
}

export type OptunaMapResult = { ok: true; value: MappedStudy } | { ok: false; problems: string[] }

const FINISHED = new Set(['COMPLETE', 'PRUNED', 'FAIL'])

function studyFileOf(
  study: OptunaStudy,
  space: unknown,
  o: OptunaMapOptions,
): Record<string, unknown> {
  const finished = study.trials.filter((t) => FINISHED.has(t.state)).length
  const attrs = Object.keys(study.userAttrs).length
    ? `\nOptuna study user attributes: ${JSON.stringify(study.userAttrs)}`
    : ''
  return {
    name: o.name ?? study.name,
    direction: study.directions[0],
    metric: 'value',
    objective: { kind: 'external' },
    space,
    tuner: o.tuner ?? { kind: 'tpe' },
    ...(o.pruner ? { pruner: o.pruner } : {}),
    budget: { trials: finished + (o.moreTrials ?? 100) },
    notes: `Imported from the Optuna study "${study.name}" in ${o.source}.${attrs}`,
    tags: ['optuna'],
  }
}

/** Only the parameters of the space (a left-out one is dropped), in the space's order. */
function inSpace(spec: StudySpec, params: Record<string, unknown>): Config {
  const out: Config = {}
  for (const p of spec.space.params)
    if (p.name in params) out[p.name] = params[p.name] as Config[string]
  return out
}

function mapTrial(
  spec: StudySpec,
  t: OptunaTrial,
  problems: string[],
  skipped: string[],
): ImportedTrial | null {
  const base = {
    number: t.number,
    value: null,
    error: null,
    startedAt: t.datetimeStart,
    finishedAt: t.datetimeComplete,
    userAttrs: t.userAttrs,
    intermediate: t.intermediate,
  }
  const fixed = t.systemAttrs.fixed_params
  const params = inSpace(spec, {
    ...(t.state === 'WAITING' && fixed && typeof fixed === 'object' ? fixed : {}),
    ...t.params,
  })
  const invalid = validateConfig(spec.space, params).map((e) => e.message)
  const last = t.intermediate.at(-1)?.value ?? null
  switch (t.state) {
    case 'COMPLETE':
    case 'PRUNED':
      if (invalid.length) {
        problems.push(`trial ${t.number}: ${invalid.join('; ')}`)
        return null
      }
      if (t.state === 'COMPLETE' && typeof t.values?.[0] !== 'number') {
        problems.push(`trial ${t.number} is COMPLETE but has no value`)
        return null
      }
      return {
        ...base,
        state: t.state === 'COMPLETE' ? 'complete' : 'pruned',
        params,
        // Optuna 3 gives a pruned trial its last intermediate value, as HPO Studio does.
        value: t.values?.[0] ?? (t.state === 'PRUNED' ? last : null),
      }
    case 'FAIL': {
      const reason = t.systemAttrs.fail_reason
      return {
        ...base,
        state: 'failed',
        params,
        error: typeof reason === 'string' ? reason : 'failed in Optuna (no reason recorded)',
      }
    }
    case 'RUNNING':
    case 'WAITING':
      if (invalid.length) {
        skipped.push(
          `trial ${t.number} (${t.state} in Optuna) is left out: its parameters are not a whole configuration (${invalid.join('; ')})`,
        )
        return null
      }
      return t.state === 'RUNNING'
        ? { ...base, state: 'interrupted', params, error: 'was running in Optuna when imported' }
        : { ...base, state: 'queued', params, startedAt: null, finishedAt: null }
  }
}

/** Maps a study; every problem is listed (not only the first), and nothing is written here. */
export function mapOptunaStudy(study: OptunaStudy, o: OptunaMapOptions): OptunaMapResult {
  const problems: string[] = []
  if (study.directions.length !== 1)
    return {
      ok: false,
      problems: [
        `study "${study.name}" has ${study.directions.length} objectives (${study.directions.join(', ')}); only single-objective Optuna studies can be imported`,
      ],
    }
  const name = o.name ?? study.name
  if (!STUDY_NAME_PATTERN.test(name))
    problems.push(
      `the name ${JSON.stringify(name)} is not a study name here (letters, digits, _ . -, up to 100, starting with a letter or digit): give another one with --name`,
    )
  const space = inferOptunaSpace(study.trials)
  // A space with a parameter left out would only add errors that follow from the first ones.
  if (space.problems.length) return { ok: false, problems: [...problems, ...space.problems] }
  const parsed = parseStudySpec(studyFileOf(study, space.raw, { ...o, name: 'imported' }))
  if (!parsed.ok) problems.push(...parsed.errors.map((e) => e.message))
  if (problems.length || !parsed.ok) return { ok: false, problems }
  const spec = { ...parsed.value, name }
  const skipped = [...space.dropped]
  const trials = study.trials.flatMap((t) => mapTrial(spec, t, problems, skipped) ?? [])
  return problems.length ? { ok: false, problems } : { ok: true, value: { spec, trials, skipped } }
}
