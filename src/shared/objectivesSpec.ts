// The study file's `objectives` and `constraints` (study-file.md): several values per trial, and
// limits on reported values. A file with one `direction` (and `metric`) stays a single-objective study.
import { z } from 'zod'
import type { Direction } from './study.ts'
import { formatValue, specError, type SpecError } from './specError.ts'

const valueName = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_.-]*$/,
    'names start with a letter or _ and use letters, digits, _ . -',
  )

export const objectiveDefSchema = z.strictObject({
  name: valueName,
  direction: z.enum(['minimize', 'maximize']),
})

/** A limit on a value the objective reports: the trial is feasible when every constraint holds. */
export const constraintDefSchema = z.strictObject({
  name: valueName,
  /** The value must be at least this. */
  min: z.number().optional(),
  /** The value must be at most this. */
  max: z.number().optional(),
})

export const objectivesSchema = z.array(objectiveDefSchema).min(1).max(16)
export const constraintsSchema = z.array(constraintDefSchema).max(64)

export type ObjectiveDef = z.infer<typeof objectiveDefSchema>
export type ConstraintDef = z.infer<typeof constraintDefSchema>

/** Tuners that take several objectives: Pareto-aware ones, and those whose proposals ignore values. */
export const MULTI_OBJECTIVE_TUNER_KINDS = ['random', 'grid', 'qmc', 'tpe', 'nsga2'] as const
/** Tuners that handle constraints (hyperband proposes at random; bohb is TPE). */
export const CONSTRAINED_TUNER_KINDS: readonly string[] = [
  ...MULTI_OBJECTIVE_TUNER_KINDS,
  'hyperband',
  'bohb',
]

/** What the rest of a study needs: its objectives (one for a single-objective study) and constraints. */
export interface StudyGoals {
  objectives: readonly ObjectiveDef[]
  constraints: readonly ConstraintDef[]
}

/** How far a value breaks a constraint: 0 when it holds, else the distance to the limit. */
export function constraintViolation(c: ConstraintDef, value: number): number {
  let v = 0
  if (c.min !== undefined && value < c.min) v += c.min - value
  if (c.max !== undefined && value > c.max) v += value - c.max
  return v
}

/** Each constraint's violation for reported values (name → value); the caller checks every name is there. */
export const violations = (
  constraints: readonly ConstraintDef[],
  values: Readonly<Record<string, number>>,
): number[] => constraints.map((c) => constraintViolation(c, values[c.name]))

export const isFeasible = (v: readonly number[]): boolean => v.every((x) => x === 0)

/** Losses per objective (maximized values negated). */
export const toLosses = (directions: readonly Direction[], values: readonly number[]): number[] =>
  values.map((v, k) => (directions[k] === 'maximize' ? -v : v))

/** The rules zod cannot say: unique names, each constraint with a limit, min ≤ max. */
export function checkGoals(
  objectives: readonly ObjectiveDef[],
  constraints: readonly ConstraintDef[],
): SpecError[] {
  const errors: SpecError[] = []
  const seen = new Set<string>()
  objectives.forEach((o, i) => {
    if (seen.has(o.name))
      errors.push(
        specError(
          `objectives[${i}].name`,
          'duplicate-name',
          o.name,
          `objective ${formatValue(o.name)} is listed twice`,
        ),
      )
    seen.add(o.name)
  })
  const limited = new Set<string>()
  constraints.forEach((c, i) => {
    const at = `constraints[${i}]`
    if (c.min === undefined && c.max === undefined)
      errors.push(
        specError(
          at,
          'min-or-max',
          c,
          `constraint ${formatValue(c.name)} needs a min, a max or both`,
        ),
      )
    if (c.min !== undefined && c.max !== undefined && c.min > c.max)
      errors.push(
        specError(
          `${at}.min`,
          'min-le-max',
          c.min,
          `min must be <= max, got min=${c.min}, max=${c.max}`,
        ),
      )
    if (limited.has(c.name))
      errors.push(
        specError(
          `${at}.name`,
          'duplicate-name',
          c.name,
          `constraint ${formatValue(c.name)} is listed twice (give one entry a min and a max)`,
        ),
      )
    limited.add(c.name)
  })
  return errors
}
