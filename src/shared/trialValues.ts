// What an objective reported, checked against the study's objectives and constraints: the values in
// the study file's order, the constraint values, or one specific message that fails that trial alone.
import { formatValue } from './specError.ts'
import { isFeasible, violations, type StudyGoals } from './objectivesSpec.ts'

/** An objective's report: `value` (one objective), `values` by name or in order, `constraints` by name. */
export interface ReportedValues {
  value?: unknown
  values?: unknown
  constraints?: unknown
}

export interface TrialValues {
  /** The first objective's value (the trial's `value` everywhere a single number is shown). */
  value: number
  /** Every objective's value in the study file's order; null in a single-objective study. */
  values: number[] | null
  /** Each constraint's reported value by name; null when the study has no constraints. */
  constraints: Record<string, number> | null
  /** Every constraint holds; null when the study has no constraints. */
  feasible: boolean | null
}

export type ResolvedValues = { ok: true; value: TrialValues } | { ok: false; message: string }

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

const finite = (what: string, v: unknown): string | null =>
  typeof v === 'number' && Number.isFinite(v)
    ? null
    : `${what} is ${typeof v === 'number' ? String(v) : formatValue(v)} (a finite number is required)`

/** The reported values by objective name, or a message naming what does not match the study file. */
function objectiveValues(reported: ReportedValues, goals: StudyGoals): number[] | string {
  const names = goals.objectives.map((o) => o.name)
  const { value, values } = reported
  if (values === undefined) {
    if (names.length > 1)
      return `the study has ${names.length} objectives (${names.join(', ')}): report {"values": {${names.map((n) => `"${n}": …`).join(', ')}}}, got only a single value`
    if (value === undefined) return 'no value was reported'
    return finite(`the value of ${names[0]}`, value) ?? [value as number]
  }
  if (Array.isArray(values)) {
    if (values.length !== names.length)
      return `reported ${values.length} values in a list, the study has ${names.length} objectives (${names.join(', ')})`
    const bad = values.map((v, k) => finite(`objective ${names[k]}`, v)).find((m) => m)
    return bad ?? (values as number[])
  }
  if (!isRecord(values))
    return `"values" must map objective names to numbers or list them in order, got ${formatValue(values)}`
  const missing = names.filter((n) => !(n in values))
  if (missing.length)
    return `no value for objective${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: the study file names ${names.join(', ')}, the objective reported ${Object.keys(values).join(', ') || 'none'}`
  const bad = names.map((n) => finite(`objective ${n}`, values[n])).find((m) => m)
  return bad ?? names.map((n) => values[n] as number)
}

function constraintValues(
  reported: ReportedValues,
  goals: StudyGoals,
  objectiveByName: Record<string, number>,
): Record<string, number> | string {
  const given = reported.constraints
  if (given !== undefined && !isRecord(given))
    return `"constraints" must map constraint names to numbers, got ${formatValue(given)}`
  const otherValues = isRecord(reported.values) ? reported.values : {}
  const out: Record<string, number> = {}
  for (const c of goals.constraints) {
    // a constraint may limit an objective's own value, or any value the objective reports
    const v = given?.[c.name] ?? objectiveByName[c.name] ?? otherValues[c.name]
    if (v === undefined)
      return `constraint ${c.name} was never reported: report {"constraints": {"${c.name}": …}}${given ? `, got constraints ${Object.keys(given).join(', ') || 'none'}` : ''}`
    const bad = finite(`constraint ${c.name}`, v)
    if (bad) return bad
    out[c.name] = v as number
  }
  return out
}

/** Checks a report against the study's objectives and constraints. */
export function resolveTrialValues(reported: ReportedValues, goals: StudyGoals): ResolvedValues {
  const values = objectiveValues(reported, goals)
  if (typeof values === 'string') return { ok: false, message: values }
  const byName = Object.fromEntries(goals.objectives.map((o, k) => [o.name, values[k]]))
  const multi = goals.objectives.length > 1
  if (goals.constraints.length === 0)
    return {
      ok: true,
      value: { value: values[0], values: multi ? values : null, constraints: null, feasible: null },
    }
  const constraints = constraintValues(reported, goals, byName)
  if (typeof constraints === 'string') return { ok: false, message: constraints }
  return {
    ok: true,
    value: {
      value: values[0],
      values: multi ? values : null,
      constraints,
      feasible: isFeasible(violations(goals.constraints, constraints)),
    },
  }
}
