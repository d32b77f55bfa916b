// The one encoder/decoder between configurations and the unit cube; every tuner (MBRL included) uses it.
import type { Rng } from './rng.ts'
import {
  paramChoices,
  type Config,
  type ParamSpec,
  type ParamValue,
  type SearchSpace,
} from './searchSpace.ts'
import { formatValue, specError, type SpecError } from './specError.ts'

function decimalsOf(x: number): number {
  const s = String(x)
  if (s.includes('e-'))
    return Number(s.split('e-')[1]) + (s.split('e')[0].split('.')[1]?.length ?? 0)
  return s.split('.')[1]?.length ?? 0
}

/** Rounds low + k·step to the precision of low and step, so 0.5 + 9·0.05 is 0.95, not 0.9500000000000001. */
function gridValue(low: number, step: number, k: number): number {
  const digits = Math.max(decimalsOf(low), decimalsOf(step))
  // toFixed rounds to at most 15 decimals here: finer grids (step 1e-20) keep the plain sum
  return digits > 15 ? low + k * step : Number((low + k * step).toFixed(digits))
}

const clamp01 = (x: number): number => (Number.isNaN(x) ? 0.5 : Math.min(1, Math.max(0, x)))

/** Decodes x ∈ [0, 1] to a value of the parameter: linear or log, rounded to the step, clamped. */
export function decodeUnit(p: ParamSpec, x: number): ParamValue {
  const u = clamp01(x)
  if (p.type === 'categorical' || p.type === 'bool') {
    const choices = paramChoices(p) as ParamValue[]
    return choices[Math.min(choices.length - 1, Math.floor(u * choices.length))]
  }
  if (p.low === p.high) return p.low
  if (p.log) {
    const v = Math.exp(Math.log(p.low) + u * (Math.log(p.high) - Math.log(p.low)))
    if (p.type === 'int') return Math.min(p.high, Math.max(p.low, Math.round(v)))
    return Math.min(p.high, Math.max(p.low, v))
  }
  const step = p.step
  // low + 1·(high − low) can round past high (−1..0.1 gives 0.10000000000000009)
  if (step === undefined) return Math.min(p.high, Math.max(p.low, p.low + u * (p.high - p.low)))
  const kMax = Math.floor((p.high - p.low) / step + 1e-9)
  const k = Math.min(kMax, Math.max(0, Math.round((u * (p.high - p.low)) / step)))
  const v = gridValue(p.low, step, k)
  // the 1e-9 slack that lets 0.5..1 step 0.05 reach 1 must not step past high (−1..−5e−324 step 1)
  return v > p.high && k > 0 ? gridValue(p.low, step, k - 1) : v
}

/** Encodes a valid value to x ∈ [0, 1] such that decodeUnit(p, encodeUnit(p, v)) === v. */
export function encodeUnit(p: ParamSpec, v: ParamValue): number {
  if (p.type === 'categorical' || p.type === 'bool') {
    const choices = paramChoices(p) as ParamValue[]
    const i = choices.indexOf(v)
    return (Math.max(0, i) + 0.5) / choices.length
  }
  const n = Number(v)
  if (p.low === p.high) return 0.5
  if (p.log) return clamp01((Math.log(n) - Math.log(p.low)) / (Math.log(p.high) - Math.log(p.low)))
  return clamp01((n - p.low) / (p.high - p.low))
}

/** Whether a parameter is active given the values decided so far (its parents must be active and match). */
export function isActive(p: ParamSpec, config: Readonly<Config>): boolean {
  if (!p.when) return true
  return Object.entries(p.when).every(
    ([parent, values]) => parent in config && values.includes(config[parent]),
  )
}

/** Decodes a point of the unit cube (one coordinate per parameter, in space order) to a configuration of the active parameters. */
export function decodePoint(space: SearchSpace, point: readonly number[]): Config {
  const config: Config = {}
  space.params.forEach((p, i) => {
    if (isActive(p, config)) config[p.name] = decodeUnit(p, point[i])
  })
  return config
}

/** Encodes a configuration; inactive or absent parameters are null. */
export function encodeConfig(space: SearchSpace, config: Readonly<Config>): (number | null)[] {
  return space.params.map((p) => (p.name in config ? encodeUnit(p, config[p.name]) : null))
}

/** A uniform (log-uniform for log parameters) random configuration. */
export function sampleConfig(space: SearchSpace, rng: Rng): Config {
  return decodePoint(
    space,
    space.params.map(() => rng.next()),
  )
}

/** Checks a configuration against the space: exactly the active parameters, each inside its domain. */
export function validateConfig(
  space: SearchSpace,
  config: Readonly<Record<string, unknown>>,
  path = 'params',
): SpecError[] {
  const errors: SpecError[] = []
  const known = new Set(space.params.map((p) => p.name))
  for (const key of Object.keys(config)) {
    if (!known.has(key))
      errors.push(
        specError(
          `${path}.${key}`,
          'unknown-param',
          config[key],
          `"${key}" is not a parameter of this search space`,
        ),
      )
  }
  const decided: Config = {}
  for (const p of space.params) {
    const at = `${path}.${p.name}`
    const v = config[p.name]
    const active = isActive(p, decided)
    if (!active) {
      if (v !== undefined)
        errors.push(
          specError(
            at,
            'inactive',
            v,
            `is inactive here (condition ${formatValue(p.when)} not met) but has a value`,
          ),
        )
      continue
    }
    if (v === undefined) {
      errors.push(specError(at, 'required', v, 'is active but has no value'))
      continue
    }
    const choices = paramChoices(p)
    if (choices) {
      if (!choices.includes(v as ParamValue))
        errors.push(
          specError(
            at,
            'choice',
            v,
            `must be one of ${choices.map((c) => formatValue(c)).join(', ')}, got ${formatValue(v)}`,
          ),
        )
    } else if (typeof v !== 'number' || !Number.isFinite(v)) {
      errors.push(
        specError(at, 'finite-number', v, `must be a finite number, got ${formatValue(v)}`),
      )
    } else if (p.type !== 'categorical' && p.type !== 'bool') {
      if (v < p.low || v > p.high)
        errors.push(specError(at, 'range', v, `must be in [${p.low}, ${p.high}], got ${v}`))
      else if (p.type === 'int' && !Number.isInteger(v))
        errors.push(specError(at, 'integer', v, `must be an integer, got ${v}`))
      else if (p.step !== undefined && !p.log) {
        const k = (v - p.low) / p.step
        // low + k·step carries the rounding error of the larger of |low| and |v|, in steps
        const tolerance = Math.max(
          1e-6,
          (8 * Number.EPSILON * (Math.abs(v) + Math.abs(p.low))) / p.step,
        )
        if (Math.abs(k - Math.round(k)) > tolerance)
          errors.push(
            specError(
              at,
              'step',
              v,
              `must be low + k·step (low=${p.low}, step=${p.step}), got ${v}`,
            ),
          )
      }
    }
    if (!errors.some((e) => e.path === at)) decided[p.name] = v as ParamValue
  }
  return errors
}

/** A stable text key of a configuration (for de-duplication and grid bookkeeping). */
export function configKey(config: Readonly<Config>): string {
  return JSON.stringify(
    Object.keys(config)
      .sort()
      .map((k) => [k, config[k]]),
  )
}
