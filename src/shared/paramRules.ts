// The rules one parameter of a search space must follow (study-file.md, "space"): its name, its keys,
// bounds, log and step, choices and its `when` condition; parseSearchSpace applies them to every parameter.
import { formatValue, specError, type SpecError } from './specError.ts'
import type {
  CategoricalParam,
  Condition,
  FloatParam,
  IntParam,
  ParamSpec,
  ParamType,
  ParamValue,
} from './searchSpace.ts'

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

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

type Raw = Record<string, unknown>
type ParamBase = { name: string; when?: Condition }

export function parseParam(
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
