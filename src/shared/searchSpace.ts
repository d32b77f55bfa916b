import { z } from 'zod'
import { formatValue, specError, type Parsed, type SpecError } from './specError.ts'
import { isPlainObject, parseParam } from './paramRules.ts'

export const paramValueSchema = z.union([z.string(), z.number(), z.boolean()])
export type ParamValue = z.infer<typeof paramValueSchema>
/** A configuration: the active parameters only, name → value. */
export const configSchema = z.record(z.string(), paramValueSchema)
export type Config = z.infer<typeof configSchema>

/** Parent name → the parent values for which the child is active (all parents must match). */
const conditionSchema = z.record(z.string(), z.array(paramValueSchema))
export type Condition = z.infer<typeof conditionSchema>

// A space as parseSearchSpace returns it (validated, defaults applied): what the store keeps and the API
// sends. The study file's own form is checked by parseSearchSpace, with a specific error for each rule.
const paramBase = { name: z.string(), when: conditionSchema.optional() }
const floatParamSchema = z.object({
  ...paramBase,
  type: z.literal('float'),
  low: z.number(),
  high: z.number(),
  log: z.boolean(),
  step: z.number().optional(),
})
const intParamSchema = z.object({
  ...paramBase,
  type: z.literal('int'),
  low: z.number(),
  high: z.number(),
  log: z.boolean(),
  step: z.number(),
})
const categoricalParamSchema = z.object({
  ...paramBase,
  type: z.literal('categorical'),
  choices: z.array(paramValueSchema),
  /** The choices are in a meaningful order (ascending numbers, say): tuners that can, model the index as a number. */
  ordered: z.boolean().optional(),
})
const boolParamSchema = z.object({ ...paramBase, type: z.literal('bool') })
export const paramSpecSchema = z.discriminatedUnion('type', [
  floatParamSchema,
  intParamSchema,
  categoricalParamSchema,
  boolParamSchema,
])
export type FloatParam = z.infer<typeof floatParamSchema>
export type IntParam = z.infer<typeof intParamSchema>
export type CategoricalParam = z.infer<typeof categoricalParamSchema>
export type BoolParam = z.infer<typeof boolParamSchema>
export type ParamSpec = z.infer<typeof paramSpecSchema>
export type ParamType = ParamSpec['type']
export const PARAM_TYPES = ['float', 'int', 'categorical', 'bool'] as const satisfies ParamType[]

/** Parameters in an order where every parent comes before its children (file order otherwise). */
export const searchSpaceSchema = z.object({ params: z.array(paramSpecSchema) })
export type SearchSpace = z.infer<typeof searchSpaceSchema>

/** Values a parameter can take when it is a parent in a `when` condition (null: any number in range). */
export function paramChoices(p: ParamSpec): ParamValue[] | null {
  if (p.type === 'categorical') return p.choices
  if (p.type === 'bool') return [false, true]
  return null
}

export { ALLOWED_KEYS } from './paramRules.ts'

/** Checks parents exist, condition values are possible, and there is no cycle; returns params with parents first. */
function orderByConditions(params: ParamSpec[], path: string, errors: SpecError[]): ParamSpec[] {
  const byName = new Map(params.map((p) => [p.name, p]))
  for (const p of params) {
    for (const [parent, values] of Object.entries(p.when ?? {})) {
      const q = byName.get(parent)
      const at = `${path}.${p.name}.when.${parent}`
      if (!q) {
        errors.push(
          specError(
            at,
            'unknown-parent',
            parent,
            `unknown parent parameter "${parent}" (parameters: ${[...byName.keys()].join(', ')})`,
          ),
        )
        continue
      }
      const choices = paramChoices(q)
      for (const v of values) {
        const possible = choices
          ? choices.includes(v)
          : typeof v === 'number' && v >= (q as IntParam).low && v <= (q as IntParam).high
        if (!possible) {
          const domain = choices
            ? choices.map((c) => formatValue(c)).join(', ')
            : `[${(q as IntParam).low}, ${(q as IntParam).high}]`
          errors.push(
            specError(
              at,
              'unknown-choice',
              v,
              `"${parent}" never takes the value ${formatValue(v)} (it takes ${domain})`,
            ),
          )
        }
      }
    }
  }
  const ordered: ParamSpec[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (p: ParamSpec, trail: string[]): void => {
    const s = state.get(p.name)
    if (s === 'done') return
    if (s === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(p.name)), p.name]
      errors.push(
        specError(
          `${path}.${p.name}.when`,
          'cycle',
          cycle,
          `conditions form a cycle: ${cycle.join(' -> ')}`,
        ),
      )
      return
    }
    state.set(p.name, 'visiting')
    for (const parent of Object.keys(p.when ?? {})) {
      const q = byName.get(parent)
      if (q) visit(q, [...trail, p.name])
    }
    state.set(p.name, 'done')
    ordered.push(p)
  }
  for (const p of params) visit(p, [])
  return ordered
}

/** Parses the `space` section of a study file. Unknown keys, bad ranges, unknown parents and cycles are errors. */
export function parseSearchSpace(raw: unknown, path = 'space'): Parsed<SearchSpace> {
  const errors: SpecError[] = []
  if (!isPlainObject(raw)) {
    return {
      ok: false,
      errors: [
        specError(
          path,
          'type',
          raw,
          `must map parameter names to definitions, got ${formatValue(raw)}`,
        ),
      ],
    }
  }
  if (Object.keys(raw).length === 0) {
    return {
      ok: false,
      errors: [specError(path, 'non-empty', raw, 'needs at least one parameter')],
    }
  }
  const params: ParamSpec[] = []
  for (const [name, def] of Object.entries(raw)) {
    const p = parseParam(name, def, `${path}.${name}`, errors)
    if (p) params.push(p)
  }
  if (errors.length) return { ok: false, errors }
  const ordered = orderByConditions(params, path, errors)
  return errors.length ? { ok: false, errors } : { ok: true, value: { params: ordered } }
}

/** The inverse of parseSearchSpace: the study-file form of a space (for YAML/JSON views and export). */
export function searchSpaceToRaw(space: SearchSpace): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {}
  for (const p of space.params) {
    const { name, when, ...rest } = p
    const def: Record<string, unknown> = { ...rest }
    if (p.type !== 'categorical' && p.type !== 'bool' && !p.log) delete def.log
    if (p.type === 'int' && p.step === 1) delete def.step
    if (when)
      def.when = Object.fromEntries(
        Object.entries(when).map(([k, v]) => [k, v.length === 1 ? v[0] : v]),
      )
    out[name] = def
  }
  return out
}
