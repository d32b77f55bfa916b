import { z } from 'zod'
import { formatValue, specError, type Parsed, type SpecError } from './specError.ts'

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

export const ALLOWED_KEYS: Record<ParamType, string[]> = {
  float: ['type', 'low', 'high', 'log', 'step', 'when'],
  int: ['type', 'low', 'high', 'log', 'step', 'when'],
  categorical: ['type', 'choices', 'ordered', 'when'],
  bool: ['type', 'when'],
}
const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]{0,99}$/
/** Grid points a stepped range may have: k·step stays exact in a double up to 2^52. */
const MAX_STEPS = 2 ** 52
/** low + k·step must land on distinct doubles: step is at least this fraction of the bounds' size. */
const MIN_RELATIVE_STEP = 1e-12

/** Values a parameter can take when it is a parent in a `when` condition (null: any number in range). */
export function paramChoices(p: ParamSpec): ParamValue[] | null {
  if (p.type === 'categorical') return p.choices
  if (p.type === 'bool') return [false, true]
  return null
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

type Raw = Record<string, unknown>
type ParamBase = { name: string; when?: Condition }

function parseParam(
  name: string,
  raw: unknown,
  path: string,
  errors: SpecError[],
): ParamSpec | null {
  if (!checkName(name, path, errors)) return null
  if (!isPlainObject(raw)) {
    errors.push(
      specError(
        path,
        'type',
        raw,
        `must be an object like { type: float, low: 0, high: 1 }, got ${formatValue(raw)}`,
      ),
    )
    return null
  }
  const type = raw.type
  if (type !== 'float' && type !== 'int' && type !== 'categorical' && type !== 'bool') {
    errors.push(
      specError(
        `${path}.type`,
        'enum',
        type,
        `must be one of float, int, categorical, bool, got ${formatValue(type)}`,
      ),
    )
    return null
  }
  const before = errors.length
  checkKeys(raw, type, path, errors)
  const when = raw.when === undefined ? undefined : parseWhen(raw.when, `${path}.when`, errors)
  const base: ParamBase = when ? { name, when } : { name }

  if (type === 'bool') return errors.length > before ? null : { ...base, type }
  if (type === 'categorical') return parseCategorical(raw, base, path, errors, before)
  return parseNumeric(raw, base, type, path, errors, before)
}

function checkName(name: string, path: string, errors: SpecError[]): boolean {
  if (!NAME_PATTERN.test(name)) {
    const shown =
      name.length > 100
        ? `${formatValue(name.slice(0, 40))}… (${name.length} characters)`
        : formatValue(name)
    errors.push(
      specError(
        path.length > 200 ? 'space' : path,
        'name',
        name,
        `parameter names start with a letter or _ and use up to 100 letters, digits, _ . -, got ${shown}`,
      ),
    )
    return false
  }
  // A configuration is a plain object: a parameter named like one of its keys would be lost or shadowed.
  if (name in Object.prototype) {
    errors.push(
      specError(
        path,
        'name',
        name,
        `"${name}" is a reserved name (an object key in JavaScript); rename the parameter`,
      ),
    )
    return false
  }
  return true
}

function checkKeys(raw: Raw, type: ParamType, path: string, errors: SpecError[]): void {
  for (const key of Object.keys(raw)) {
    if (!ALLOWED_KEYS[type].includes(key)) {
      errors.push(
        specError(
          `${path}.${key}`,
          'unknown-key',
          raw[key],
          `unknown key "${key}" for a ${type} parameter (allowed: ${ALLOWED_KEYS[type].join(', ')})`,
        ),
      )
    }
  }
}

/** `before`: the error count before this parameter's checks began (any error since rejects it). */
function parseCategorical(
  raw: Raw,
  base: ParamBase,
  path: string,
  errors: SpecError[],
  before: number,
): CategoricalParam | null {
  const choices = raw.choices
  if (!Array.isArray(choices)) {
    errors.push(
      specError(
        `${path}.choices`,
        'required',
        choices,
        `must be a list of at least 2 values, got ${formatValue(choices)}`,
      ),
    )
    return null
  }
  checkChoices(choices, path, errors)
  if (raw.ordered !== undefined && typeof raw.ordered !== 'boolean')
    errors.push(
      specError(
        `${path}.ordered`,
        'boolean',
        raw.ordered,
        `ordered must be true or false, got ${formatValue(raw.ordered)}`,
      ),
    )
  if (errors.length > before) return null
  const p: CategoricalParam = { ...base, type: 'categorical', choices: choices as ParamValue[] }
  if (raw.ordered === true) p.ordered = true
  return p
}

function checkChoices(choices: unknown[], path: string, errors: SpecError[]): void {
  if (choices.length < 2) {
    errors.push(
      specError(
        `${path}.choices`,
        'min-choices',
        choices,
        `needs at least 2 choices, got ${choices.length}`,
      ),
    )
  }
  choices.forEach((c, i) => {
    if (
      !['string', 'number', 'boolean'].includes(typeof c) ||
      (typeof c === 'number' && !Number.isFinite(c))
    ) {
      errors.push(
        specError(
          `${path}.choices[${i}]`,
          'choice-type',
          c,
          `choices are strings, finite numbers or booleans, got ${formatValue(c)}`,
        ),
      )
    } else if (choices.indexOf(c) !== i) {
      errors.push(
        specError(
          `${path}.choices[${i}]`,
          'duplicate-choice',
          c,
          `duplicate choice ${formatValue(c)}`,
        ),
      )
    }
  })
}

/** A float or int parameter; `before` as for parseCategorical. */
function parseNumeric(
  raw: Raw,
  base: ParamBase,
  type: 'float' | 'int',
  path: string,
  errors: SpecError[],
  before: number,
): FloatParam | IntParam | null {
  const low = readBound(raw, 'low', path, errors)
  const high = readBound(raw, 'high', path, errors)
  const { log, step } = raw
  checkLogAndStep(log, step, path, errors)
  if (low === null || high === null) return null
  const range: RangeFields = { type, low, high, log, step }
  checkRange(range, path, errors)
  checkRangeWidth(range, path, errors)
  if (type === 'int') checkIntegers(range, path, errors)
  if (errors.length > before) return null
  if (type === 'int')
    return { ...base, type, low, high, log: log === true, step: (step as number | undefined) ?? 1 }
  const p: FloatParam = { ...base, type, low, high, log: log === true }
  if (step !== undefined) p.step = step as number
  return p
}

function readBound(
  raw: Raw,
  key: 'low' | 'high',
  path: string,
  errors: SpecError[],
): number | null {
  const v = raw[key]
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    errors.push(
      specError(
        `${path}.${key}`,
        'finite-number',
        v,
        `${key} must be a finite number, got ${formatValue(v)}`,
      ),
    )
    return null
  }
  return v
}

function checkLogAndStep(log: unknown, step: unknown, path: string, errors: SpecError[]): void {
  if (log !== undefined && typeof log !== 'boolean') {
    errors.push(
      specError(
        `${path}.log`,
        'boolean',
        log,
        `log must be true or false, got ${formatValue(log)}`,
      ),
    )
  }
  if (step !== undefined && (typeof step !== 'number' || !Number.isFinite(step) || step <= 0)) {
    errors.push(
      specError(
        `${path}.step`,
        'positive-step',
        step,
        `step must be a number > 0, got ${formatValue(step)}`,
      ),
    )
  }
}

/** A float or int parameter's fields as read: low and high are finite numbers, log and step still unchecked. */
interface RangeFields {
  type: 'float' | 'int'
  low: number
  high: number
  log: unknown
  step: unknown
}

function checkRange(
  { type, low, high, log, step }: RangeFields,
  path: string,
  errors: SpecError[],
): void {
  if (low > high) {
    errors.push(
      specError(
        path,
        'low-le-high',
        { low, high },
        `low must be <= high, got low=${low}, high=${high}`,
      ),
    )
  }
  if (log === true && low <= 0) {
    errors.push(
      specError(path, 'positive-when-log', low, `low must be > 0 when log is true, got low=${low}`),
    )
  }
  if (log === true && step !== undefined && !(type === 'int' && step === 1)) {
    errors.push(
      specError(
        path,
        'log-xor-step',
        step,
        `log and step cannot be used together, got step=${formatValue(step)}`,
      ),
    )
  }
}

/** The range and its grid must fit in doubles: a finite width, a bounded count of steps, distinct points. */
function checkRangeWidth(
  { low, high, step }: RangeFields,
  path: string,
  errors: SpecError[],
): void {
  if (low <= high && !Number.isFinite(high - low)) {
    errors.push(
      specError(
        path,
        'range-width',
        { low, high },
        `high - low must be a finite number (at most ${Number.MAX_VALUE}), got low=${low}, high=${high}`,
      ),
    )
  } else if (typeof step === 'number' && step > 0 && (high - low) / step > MAX_STEPS) {
    errors.push(
      specError(
        `${path}.step`,
        'step-count',
        step,
        `step is too small for the range: (high - low) / step must be at most 2^52, got ${step}`,
      ),
    )
  } else if (
    typeof step === 'number' &&
    step < MIN_RELATIVE_STEP * Math.max(Math.abs(low), Math.abs(high))
  ) {
    errors.push(
      specError(
        `${path}.step`,
        'step-precision',
        step,
        `step must be at least 1e-12 of the bounds' size (a double holds about 16 digits), got ${step} for low=${low}, high=${high}`,
      ),
    )
  }
}

function checkIntegers({ low, high, step }: RangeFields, path: string, errors: SpecError[]): void {
  for (const [key, v] of [
    ['low', low],
    ['high', high],
  ] as const) {
    if (Number.isInteger(v) && !Number.isSafeInteger(v)) {
      errors.push(
        specError(
          `${path}.${key}`,
          'safe-integer',
          v,
          `${key} of an int parameter must be between -(2^53 - 1) and 2^53 - 1, got ${v}`,
        ),
      )
    }
  }
  for (const [key, v] of [
    ['low', low],
    ['high', high],
    ['step', step],
  ] as const) {
    if (typeof v === 'number' && !Number.isInteger(v)) {
      errors.push(
        specError(
          `${path}.${key}`,
          'integer',
          v,
          `${key} of an int parameter must be an integer, got ${v}`,
        ),
      )
    }
  }
}

function parseWhen(raw: unknown, path: string, errors: SpecError[]): Condition | undefined {
  if (!isPlainObject(raw) || Object.keys(raw).length === 0) {
    errors.push(
      specError(
        path,
        'condition',
        raw,
        `must map a parent parameter to a value or a list of values, like { booster: dart }, got ${formatValue(raw)}`,
      ),
    )
    return undefined
  }
  const out: Condition = {}
  for (const [parent, v] of Object.entries(raw)) {
    const values = Array.isArray(v) ? v : [v]
    if (
      values.length === 0 ||
      values.some((x) => !['string', 'number', 'boolean'].includes(typeof x))
    ) {
      errors.push(
        specError(
          `${path}.${parent}`,
          'condition-value',
          v,
          `condition values are strings, numbers or booleans, got ${formatValue(v)}`,
        ),
      )
      continue
    }
    out[parent] = values as ParamValue[]
  }
  return out
}

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
