// How TPE sees one parameter: numeric values in Optuna's internal coordinates (log for log
// parameters; stepped and integer ones widened by half a step each side), categoricals as indices.
import { paramChoices, type ParamSpec, type ParamValue } from '../../../shared/searchSpace.ts'
import { decodeUnit, encodeUnit } from '../../../shared/spaceCodec.ts'

export type TpeDimension =
  | { kind: 'numeric'; param: ParamSpec; low: number; high: number; q: number | null }
  | { kind: 'categorical'; param: ParamSpec; size: number }

/** The dimension of a parameter, or null for a constant (low == high), which is never modelled. */
export function tpeDimension(p: ParamSpec): TpeDimension | null {
  const choices = paramChoices(p)
  if (choices) return { kind: 'categorical', param: p, size: choices.length }
  if (p.type !== 'float' && p.type !== 'int') return null
  if (p.low === p.high) return null
  if (p.log) {
    if (p.type === 'int')
      return {
        kind: 'numeric',
        param: p,
        low: Math.log(p.low - 0.5),
        high: Math.log(p.high + 0.5),
        q: null,
      }
    return { kind: 'numeric', param: p, low: Math.log(p.low), high: Math.log(p.high), q: null }
  }
  if (p.step !== undefined) {
    const q = p.step
    const top = p.low + Math.floor((p.high - p.low) / q + 1e-9) * q
    return { kind: 'numeric', param: p, low: p.low - 0.5 * q, high: top + 0.5 * q, q }
  }
  return { kind: 'numeric', param: p, low: p.low, high: p.high, q: null }
}

/** A valid value of the parameter to its internal coordinate. */
export function toInternal(dim: TpeDimension, v: ParamValue): number {
  if (dim.kind === 'categorical') return Math.max(0, (paramChoices(dim.param) ?? []).indexOf(v))
  const p = dim.param as Extract<ParamSpec, { type: 'float' | 'int' }>
  return p.log ? Math.log(Number(v)) : Number(v)
}

/** An internal coordinate to the nearest valid value (rounded to the step, clamped), via the shared codec. */
export function fromInternal(dim: TpeDimension, x: number): ParamValue {
  const p = dim.param
  if (dim.kind === 'categorical') {
    const choices = paramChoices(p) ?? []
    return choices[Math.min(choices.length - 1, Math.max(0, Math.round(x)))]
  }
  if (p.type !== 'float' && p.type !== 'int') throw new Error('unreachable')
  let v: number
  if (p.log) v = p.type === 'int' ? Math.round(Math.exp(x)) : Math.exp(x)
  else if (dim.q !== null) v = Math.round((x - p.low) / dim.q) * dim.q + p.low
  else v = x
  return nearestValid(p, v)
}

/** The valid value of a numeric parameter nearest to v (clamped, on its step), via the shared codec. */
export function nearestValid(p: Extract<ParamSpec, { type: 'float' | 'int' }>, v: number): number {
  return decodeUnit(p, encodeUnit(p, Math.min(p.high, Math.max(p.low, v)))) as number
}
