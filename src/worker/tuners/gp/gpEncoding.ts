// The GP's input space: numeric parameters as one unit-cube coordinate each (the shared codec's
// encoding, so log parameters are log-scaled), categoricals one-hot; constants take no column.
// Inactive parameters encode as 0.5 (numeric) or all zeros (categorical).
import {
  paramChoices,
  type Config,
  type ParamSpec,
  type SearchSpace,
} from '../../../shared/searchSpace.ts'
import { decodeUnit, encodeUnit, isActive } from '../../../shared/spaceCodec.ts'

interface Column {
  param: ParamSpec
  offset: number
  /** 1 for numeric, the number of choices for one-hot. */
  size: number
  oneHot: boolean
}

export interface GpEncoding {
  width: number
  /** Which input coordinates are one-hot columns (perturbed by flipping, not by noise). */
  oneHot: boolean[]
  encode(config: Readonly<Config>): Float64Array
  decode(x: ArrayLike<number>): Config
  /** A uniformly random point, already snapped to a configuration. */
  random(next: () => number): Float64Array
  /** decode then encode: the point a configuration actually evaluates at. */
  snap(x: ArrayLike<number>): Float64Array
}

export function createGpEncoding(space: SearchSpace): GpEncoding {
  const columns: Column[] = []
  let width = 0
  for (const p of space.params) {
    const choices = paramChoices(p)
    if (choices) {
      columns.push({ param: p, offset: width, size: choices.length, oneHot: true })
      width += choices.length
    } else if ((p.type === 'float' || p.type === 'int') && p.low !== p.high) {
      columns.push({ param: p, offset: width, size: 1, oneHot: false })
      width += 1
    }
  }
  const byName = new Map(columns.map((c) => [c.param.name, c]))
  const oneHot = new Array<boolean>(width).fill(false)
  for (const c of columns) if (c.oneHot) oneHot.fill(true, c.offset, c.offset + c.size)

  const encode = (config: Readonly<Config>): Float64Array => {
    const x = new Float64Array(width)
    for (const c of columns) {
      const v = config[c.param.name]
      if (c.oneHot) {
        if (v !== undefined) x[c.offset + Math.max(0, paramChoices(c.param)!.indexOf(v))] = 1
      } else {
        x[c.offset] = v === undefined ? 0.5 : encodeUnit(c.param, v)
      }
    }
    return x
  }

  const decode = (x: ArrayLike<number>): Config => {
    const config: Config = {}
    for (const p of space.params) {
      if (!isActive(p, config)) continue
      const c = byName.get(p.name)
      if (!c) {
        config[p.name] = decodeUnit(p, 0.5)
      } else if (c.oneHot) {
        let best = 0
        for (let k = 1; k < c.size; k++) if (x[c.offset + k] > x[c.offset + best]) best = k
        config[p.name] = paramChoices(p)![best]
      } else {
        config[p.name] = decodeUnit(p, x[c.offset])
      }
    }
    return config
  }

  return {
    width,
    oneHot,
    encode,
    decode,
    snap: (x) => encode(decode(x)),
    random(next) {
      const x = new Float64Array(width)
      for (const c of columns) {
        if (c.oneHot) x[c.offset + Math.floor(next() * c.size)] = 1
        else x[c.offset] = next()
      }
      return encode(decode(x))
    },
  }
}
