// A study file's goals: one `direction` (and `metric`), or `objectives`, plus `constraints`; checked
// against what the objective kind reports, the tuner and the pruner, with every error specific.
import {
  CONSTRAINED_TUNER_KINDS,
  MULTI_OBJECTIVE_TUNER_KINDS,
  checkGoals,
  constraintsSchema,
  objectivesSchema,
  type ConstraintDef,
  type ObjectiveDef,
  type StudyGoals,
} from './objectivesSpec.ts'
import { OBJECTIVE_METRICS, type ObjectiveSpec } from './objectiveSpec.ts'
import {
  isMultiObjectiveFunction,
  multiObjectiveFunction,
  MULTI_OBJECTIVE_FUNCTIONS,
} from './multiObjectiveFunctions.ts'
import type { PrunerSpec } from './prunerSpec.ts'
import { formatValue, specError, type SpecError } from './specError.ts'
import type { Direction } from './study.ts'
import type { TunerSpec } from './tunerSpec.ts'
import { zodIssuesToErrors } from './zodErrors.ts'

type Implied = Record<string, Direction | null>

/**
 * Values a built-in objective measures beyond its quality metric, each with the direction it implies:
 * they can be further objectives or constraints (study-file.md).
 */
export const OBJECTIVE_EXTRA_VALUES: Record<ObjectiveSpec['kind'], Implied> = {
  synthetic: {},
  command: {},
  gbdt: { train_seconds: 'minimize', model_bytes: 'minimize' },
  cnn: { params: 'minimize', train_seconds: 'minimize' },
  tabular: {},
  external: {},
}

/** What an objective reports: its quality metrics (one per study) and the other values. */
function reportedValues(objective: ObjectiveSpec): { metrics: Implied; extras: Implied } | null {
  if (objective.kind === 'command' || objective.kind === 'external') return null
  if (objective.kind === 'synthetic' && isMultiObjectiveFunction(objective.function)) {
    const fn = multiObjectiveFunction(objective.function, objective.dimensions)
    return {
      metrics: Object.fromEntries(fn.objectives.map((o) => [o.name, o.direction])),
      extras: Object.fromEntries(fn.constraints.map((c) => [c.name, null])),
    }
  }
  return {
    metrics: OBJECTIVE_METRICS[objective.kind],
    extras: OBJECTIVE_EXTRA_VALUES[objective.kind],
  }
}

/** The goals of a parsed study spec: its objectives (one for a single-objective study) and constraints. */
export function studyGoals(spec: {
  direction: Direction
  metric: string
  objectives?: ObjectiveDef[]
  constraints?: ConstraintDef[]
}): StudyGoals {
  return {
    objectives: spec.objectives ?? [{ name: spec.metric, direction: spec.direction }],
    constraints: spec.constraints ?? [],
  }
}

function checkNames(goals: StudyGoals, objective: ObjectiveSpec, singleForm: boolean): SpecError[] {
  const known = reportedValues(objective)
  if (!known) return []
  const errors: SpecError[] = []
  const { metrics, extras } = known
  const multiFunction =
    objective.kind === 'synthetic' && isMultiObjectiveFunction(objective.function)
  const what = `a ${objective.kind} objective${objective.kind === 'synthetic' ? ` (${objective.function})` : ''}`
  goals.objectives.forEach((o, i) => {
    const at = singleForm ? 'metric' : `objectives[${i}].name`
    const pool = multiFunction || i === 0 ? metrics : extras
    if (!(o.name in pool)) {
      const hint =
        i > 0 && o.name in metrics
          ? ` (a study optimizes one of ${Object.keys(metrics).join(', ')}, listed first)`
          : objective.kind === 'synthetic' && i > 0
            ? ` (functions with several objectives: ${MULTI_OBJECTIVE_FUNCTIONS.join(', ')})`
            : ''
      const reports = Object.keys(pool).join(', ') || 'nothing more'
      errors.push(
        specError(
          at,
          'enum',
          o.name,
          `${what} reports ${reports}${i > 0 ? ' as further objectives' : ''}, got ${formatValue(o.name)}${hint}`,
        ),
      )
      return
    }
    const implied = pool[o.name]
    if (implied && implied !== o.direction)
      errors.push(
        specError(
          singleForm ? 'direction' : `objectives[${i}].direction`,
          'metric-direction',
          o.direction,
          `${o.name} is to ${implied}, got direction ${o.direction}`,
        ),
      )
  })
  const first = goals.objectives[0].name
  const constrainable = [
    ...(multiFunction ? Object.keys(metrics) : [first]),
    ...Object.keys(extras),
  ]
  goals.constraints.forEach((c, i) => {
    if (!constrainable.includes(c.name))
      errors.push(
        specError(
          `constraints[${i}].name`,
          'enum',
          c.name,
          `${what} reports ${constrainable.join(', ')} to constrain, got ${formatValue(c.name)}`,
        ),
      )
  })
  return errors
}

function checkTunerAndPruner(goals: StudyGoals, tuner: TunerSpec, pruner: PrunerSpec | undefined) {
  const errors: SpecError[] = []
  const several = goals.objectives.length > 1
  const multiKinds: readonly string[] = MULTI_OBJECTIVE_TUNER_KINDS
  if (several && !multiKinds.includes(tuner.kind))
    errors.push(
      specError(
        'tuner.kind',
        'multi-objective',
        tuner.kind,
        `${tuner.kind} optimizes one objective; with ${goals.objectives.length} objectives use ${multiKinds.join(', ')}`,
      ),
    )
  else if (goals.constraints.length > 0 && !CONSTRAINED_TUNER_KINDS.includes(tuner.kind))
    errors.push(
      specError(
        'tuner.kind',
        'constraints',
        tuner.kind,
        `${tuner.kind} does not handle constraints; use ${CONSTRAINED_TUNER_KINDS.join(', ')}`,
      ),
    )
  if (!pruner || pruner.kind === 'none') return errors
  const named = (pruner as { objective?: string }).objective
  const first = goals.objectives[0].name
  if (several && named === undefined)
    errors.push(
      specError(
        'pruner.objective',
        'required',
        undefined,
        `a study with several objectives prunes on one: set objective: ${first} (the first objective, whose intermediate values the trials report)`,
      ),
    )
  else if (named !== undefined && named !== first)
    errors.push(
      specError(
        'pruner.objective',
        'first-objective',
        named,
        `trials report intermediate values of the first objective, ${first}, so the pruner prunes on it, got ${formatValue(named)}`,
      ),
    )
  return errors
}

export interface ParsedGoals {
  direction: Direction
  metric: string
  /** Present when the study has several objectives. */
  objectives?: ObjectiveDef[]
  /** Present when the study has constraints. */
  constraints?: ConstraintDef[]
}

/** The goals of a study file's top-level keys, or the errors; `errors` collects what it finds. */
export function parseStudyGoals(
  raw: Record<string, unknown>,
  context: {
    objective: ObjectiveSpec | undefined
    tuner: TunerSpec | undefined
    pruner: PrunerSpec | undefined
  },
  errors: SpecError[],
): ParsedGoals | undefined {
  const before = errors.length
  let objectives: ObjectiveDef[] | undefined
  const singleForm = raw.objectives === undefined
  if (!singleForm) {
    if (raw.direction !== undefined || raw.metric !== undefined)
      errors.push(
        specError(
          raw.direction !== undefined ? 'direction' : 'metric',
          'objectives-or-direction',
          raw.direction ?? raw.metric,
          'give either objectives or direction (and metric), not both',
        ),
      )
    const r = objectivesSchema.safeParse(raw.objectives)
    if (r.success) objectives = r.data
    else errors.push(...zodIssuesToErrors(r.error.issues, raw.objectives, 'objectives'))
  } else if (raw.direction === 'minimize' || raw.direction === 'maximize') {
    const known = context.objective ? reportedValues(context.objective) : null
    const metric =
      typeof raw.metric === 'string'
        ? raw.metric
        : (Object.keys(known?.metrics ?? {})[0] ?? 'value')
    objectives = [{ name: metric, direction: raw.direction }]
  } else if (raw.direction === undefined)
    errors.push(
      specError(
        'direction',
        'required',
        undefined,
        'is required (minimize or maximize), or list objectives: [{name, direction}, …]',
      ),
    )
  let constraints: ConstraintDef[] = []
  if (raw.constraints !== undefined) {
    const r = constraintsSchema.safeParse(raw.constraints)
    if (r.success) constraints = r.data
    else errors.push(...zodIssuesToErrors(r.error.issues, raw.constraints, 'constraints'))
  }
  if (!objectives || errors.length > before) return undefined
  const goals = { objectives, constraints }
  errors.push(...checkGoals(objectives, constraints))
  if (context.objective) errors.push(...checkNames(goals, context.objective, singleForm))
  if (context.tuner) errors.push(...checkTunerAndPruner(goals, context.tuner, context.pruner))
  if (errors.length > before) return undefined
  const out: ParsedGoals = { direction: objectives[0].direction, metric: objectives[0].name }
  if (objectives.length > 1) out.objectives = objectives
  if (constraints.length > 0) out.constraints = constraints
  return out
}
