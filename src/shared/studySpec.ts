// The study file (study-file.md): parsed and validated here, so the CLI, the app and tests agree on every rule.
import { z } from 'zod'
import { checkCnnSpec } from './cnnParams.ts'
import { EXECUTOR_KINDS, executorSpecSchema } from './executorSpec.ts'
import {
  MAX_TIMEOUT_SECONDS,
  OBJECTIVE_KINDS,
  objectiveSpecSchema,
  type ObjectiveSpec,
} from './objectiveSpec.ts'
import { constraintsSchema, objectivesSchema } from './objectivesSpec.ts'
import { isMultiObjectiveFunction, multiObjectiveFunction } from './multiObjectiveFunctions.ts'
import { parseStudyGoals } from './studyGoals.ts'
import { PRUNER_KINDS, prunerSpecSchema } from './prunerSpec.ts'
import {
  parseSearchSpace,
  searchSpaceSchema,
  searchSpaceToRaw,
  type ParamSpec,
  type SearchSpace,
} from './searchSpace.ts'
import { directionSchema } from './study.ts'
import { formatValue, specError, type Parsed, type SpecError } from './specError.ts'
import { DEFAULT_DIMENSIONS, syntheticFunction } from './syntheticFunctions.ts'
import { tableSpaceErrors, type TabularTable } from './tabularTable.ts'
import { TUNER_KINDS, tunerSpecSchema } from './tunerSpec.ts'
import { checkGbdtSpec } from './xgboostParams.ts'
import { zodIssuesToErrors } from './zodErrors.ts'

export const STUDY_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/
export const STUDY_NAME_RULE =
  'names use letters, digits, _ . - (up to 100, starting with a letter or digit)'

/** The largest seed a study file may give (and the top of the range a study's seed is drawn from). */
export const MAX_SEED = 2 ** 31 - 1

export const fileSchema = z.strictObject({
  name: z.string().regex(STUDY_NAME_PATTERN, STUDY_NAME_RULE),
  direction: directionSchema.optional(),
  metric: z.string().min(1).optional(),
  objectives: z.unknown().optional(),
  constraints: z.unknown().optional(),
  objective: z.unknown(),
  space: z.unknown().optional(),
  tuner: z.unknown().optional(),
  pruner: z.unknown().optional(),
  budget: z
    .strictObject({
      trials: z.number().int().min(1).default(100),
      minutes: z.number().positive().optional(),
    })
    .default({ trials: 100 }),
  trialTimeoutSeconds: z.number().positive().max(MAX_TIMEOUT_SECONDS).optional(),
  concurrency: z.number().int().min(1).max(64).default(1),
  executor: z.unknown().optional(),
  seed: z.number().int().min(0).max(MAX_SEED).optional(),
  notes: z.string().default(''),
  tags: z.array(z.string().min(1)).default([]),
  /** Written by `export --format yaml`: the study's trials when it was exported; run does not read it. */
  results: z.unknown().optional(),
})

/** The spec with its seed: the file's, else one drawn uniformly from 0…MAX_SEED, which the study records. */
export function withStudySeed(
  spec: StudySpec,
  random: () => number = Math.random,
): StudySpec & { seed: number } {
  return { ...spec, seed: spec.seed ?? Math.floor(random() * (MAX_SEED + 1)) }
}

/**
 * A validated study file with defaults applied, as the store keeps it and the API sends it (re-parsed when
 * read back, so a database written by another build fails with the field named). `seed` stays undefined
 * until a study records one.
 */
export const studySpecSchema = z.object({
  name: z.string(),
  /** The first objective's direction and name (the only one's in a single-objective study). */
  direction: directionSchema,
  metric: z.string(),
  /** Several objectives, in the study file's order (absent: one objective, `direction` + `metric`). */
  objectives: objectivesSchema.optional(),
  /** Limits on reported values; absent when the study has none. */
  constraints: constraintsSchema.optional(),
  objective: objectiveSpecSchema,
  space: searchSpaceSchema,
  tuner: tunerSpecSchema,
  pruner: prunerSpecSchema,
  budget: z.object({ trials: z.number().int(), minutes: z.number().optional() }),
  trialTimeoutSeconds: z.number().optional(),
  concurrency: z.number().int(),
  /** Where trials run; absent = on this machine (`local`). */
  executor: executorSpecSchema.optional(),
  seed: z.number().int().optional(),
  notes: z.string(),
  tags: z.array(z.string()),
})
export type StudySpec = z.infer<typeof studySpecSchema>

function parseSection<T>(
  schema: z.ZodType<T>,
  kinds: readonly string[],
  raw: unknown,
  path: string,
  errors: SpecError[],
): T | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    errors.push(
      specError(path, 'type', raw, `must be an object with a "kind", got ${formatValue(raw)}`),
    )
    return undefined
  }
  const kind = (raw as { kind?: unknown }).kind
  if (!kinds.includes(kind as string)) {
    errors.push(
      specError(
        `${path}.kind`,
        kind === undefined ? 'required' : 'enum',
        kind,
        `must be one of ${kinds.join(', ')}, got ${formatValue(kind)}`,
      ),
    )
    return undefined
  }
  const r = schema.safeParse(raw)
  if (r.success) return r.data
  errors.push(...zodIssuesToErrors(r.error.issues, raw, path))
  return undefined
}

function syntheticSpace(
  objective: Extract<ObjectiveSpec, { kind: 'synthetic' }>,
  raw: unknown,
  errors: SpecError[],
): SearchSpace | undefined {
  const name = objective.function
  const fn = isMultiObjectiveFunction(name)
    ? multiObjectiveFunction(name, objective.dimensions)
    : syntheticFunction(name, objective.dimensions ?? DEFAULT_DIMENSIONS[name])
  const own: Record<string, unknown> = searchSpaceToRaw({ params: fn.params })
  const merged = { ...own, ...((raw as Record<string, unknown> | undefined) ?? {}) }
  const parsed = parseSearchSpace(merged)
  if (!parsed.ok) {
    errors.push(...parsed.errors)
    return undefined
  }
  return parsed.value
}

/** What only a process that reads files can check; parseStudySpec works without it, checking less. */
export interface StudySpecContext {
  /** Reads a tabular objective's table (main resolves the path against the study file's folder). */
  readTable?: (file: string) => Parsed<TabularTable>
}

/** A tabular objective's space: the table's, or the file's checked against it. */
function tabularSpace(
  objective: Extract<ObjectiveSpec, { kind: 'tabular' }>,
  raw: unknown,
  direction: unknown,
  errors: SpecError[],
  context: StudySpecContext,
): SearchSpace | undefined {
  let given: SearchSpace | undefined
  // an empty space (the new-study form's when nothing is listed) means: the table's
  const empty = typeof raw === 'object' && raw !== null && Object.keys(raw).length === 0
  if (raw !== undefined && !empty) {
    const parsed = parseSearchSpace(raw)
    if (!parsed.ok) {
      errors.push(...parsed.errors)
      return undefined
    }
    given = parsed.value
  }
  if (!context.readTable) {
    if (!given)
      errors.push(
        specError(
          'space',
          'required',
          undefined,
          'is required for a tabular objective where its table cannot be read',
        ),
      )
    return given
  }
  const table = context.readTable(objective.table)
  if (!table.ok) {
    errors.push(...table.errors)
    return undefined
  }
  const own = table.value.direction
  if (own && (direction === 'minimize' || direction === 'maximize') && own !== direction)
    errors.push(
      specError(
        'direction',
        'table-direction',
        direction,
        `${objective.table} holds values to ${own}, got direction ${direction}`,
      ),
    )
  if (!given) return table.value.space
  const mismatch = tableSpaceErrors(table.value, given)
  errors.push(...mismatch)
  return mismatch.length ? undefined : given
}

/** Parses a study file's content (YAML or JSON already decoded). Every error is returned, not just the first. */
export function parseStudySpec(raw: unknown, context: StudySpecContext = {}): Parsed<StudySpec> {
  const errors: SpecError[] = []
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      ok: false,
      errors: [
        specError(
          '(file)',
          'type',
          raw,
          `a study file is a mapping of keys (name, direction, objective, space…), got ${formatValue(raw)}`,
        ),
      ],
    }
  }
  const top = fileSchema.safeParse(raw)
  if (!top.success) errors.push(...zodIssuesToErrors(top.error.issues, raw))
  const r = raw as Record<string, unknown>
  const objective =
    r.objective === undefined
      ? (errors.push(
          specError(
            'objective',
            'required',
            undefined,
            'is required (an object with a kind: gbdt, cnn, command, synthetic, tabular, external)',
          ),
        ),
        undefined)
      : parseSection(objectiveSpecSchema, OBJECTIVE_KINDS, r.objective, 'objective', errors)
  const tuner = parseSection(
    tunerSpecSchema,
    TUNER_KINDS,
    r.tuner ?? { kind: 'random' },
    'tuner',
    errors,
  )
  const executor =
    r.executor === undefined
      ? undefined
      : parseSection(executorSpecSchema, EXECUTOR_KINDS, r.executor, 'executor', errors)
  let pruner =
    r.pruner === undefined
      ? undefined
      : parseSection(prunerSpecSchema, PRUNER_KINDS, r.pruner, 'pruner', errors)

  let space: SearchSpace | undefined
  if (objective?.kind === 'synthetic') space = syntheticSpace(objective, r.space, errors)
  else if (objective?.kind === 'tabular')
    space = tabularSpace(objective, r.space, r.direction, errors, context)
  else if (r.space === undefined) {
    if (objective)
      errors.push(
        specError('space', 'required', undefined, `is required for a ${objective.kind} objective`),
      )
  } else {
    const parsed = parseSearchSpace(r.space)
    if (parsed.ok) space = parsed.value
    else errors.push(...parsed.errors)
  }

  if (tuner && (tuner.kind === 'hyperband' || tuner.kind === 'bohb')) {
    if (pruner && pruner.kind !== 'hyperband') {
      errors.push(
        specError(
          'pruner.kind',
          'tuner-pruner',
          pruner.kind,
          `a ${tuner.kind} tuner uses the hyperband pruner; remove "pruner" or set kind: hyperband, got ${pruner.kind}`,
        ),
      )
    }
    pruner ??= prunerSpecSchema.parse({ kind: 'hyperband' })
  }

  const goals = parseStudyGoals(r, { objective, tuner, pruner }, errors)
  if (!top.success || !objective || !tuner || !space || !goals || errors.length)
    return { ok: false, errors }
  const file = top.data
  const spec: StudySpec = {
    name: file.name,
    direction: goals.direction,
    metric: goals.metric,
    ...(goals.objectives ? { objectives: goals.objectives } : {}),
    ...(goals.constraints ? { constraints: goals.constraints } : {}),
    objective,
    space,
    tuner,
    pruner: pruner ?? { kind: 'none' },
    budget: file.budget,
    concurrency: file.concurrency,
    notes: file.notes,
    tags: file.tags,
  }
  if (file.trialTimeoutSeconds !== undefined) spec.trialTimeoutSeconds = file.trialTimeoutSeconds
  if (file.seed !== undefined) spec.seed = file.seed
  if (executor && executor.kind !== 'local') spec.executor = executor
  // XGBoost parameter names and ranges, CNN layer parameters: checked before any trial runs.
  if (objective.kind === 'gbdt') errors.push(...checkGbdtSpec(spec))
  if (objective.kind === 'cnn') errors.push(...checkCnnSpec(spec))
  return errors.length ? { ok: false, errors } : { ok: true, value: spec }
}

/** The study-file form of a parsed spec (for export, duplicate, the YAML view). */
export function studySpecToRaw(spec: StudySpec): Record<string, unknown> {
  const { space, ...rest } = spec
  if (spec.objectives) {
    const { direction: _d, metric: _m, ...multi } = rest
    return { ...multi, space: searchSpaceToRaw(space) }
  }
  return { ...rest, space: searchSpaceToRaw(space) }
}

/** Param names of a space, for messages. */
export const paramNames = (params: readonly ParamSpec[]): string =>
  params.map((p) => p.name).join(', ')
