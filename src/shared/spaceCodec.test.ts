import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createRng } from './rng.ts'
import { parseSearchSpace, type ParamSpec, type SearchSpace } from './searchSpace.ts'
import {
  decodePoint,
  decodeUnit,
  encodeConfig,
  encodeUnit,
  sampleConfig,
  validateConfig,
} from './spaceCodec.ts'

function space(raw: Record<string, unknown>): SearchSpace {
  const r = parseSearchSpace(raw)
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join())
  return r.value
}

const conditional = space({
  booster: { type: 'categorical', choices: ['gbtree', 'dart', 'gblinear'] },
  max_depth: { type: 'int', low: 1, high: 25, when: { booster: ['gbtree', 'dart'] } },
  lr: { type: 'float', low: 1e-4, high: 1, log: true },
  subsample: { type: 'float', low: 0.5, high: 1, step: 0.05 },
  rate_drop: { type: 'float', low: 0, high: 0.5, when: { booster: 'dart' } },
  one_drop: { type: 'bool', when: { booster: 'dart' } },
  leaves: { type: 'int', low: 2, high: 1024, log: true },
  even: { type: 'int', low: 0, high: 10, step: 2 },
  constant: { type: 'float', low: 3, high: 3 },
  depth_bonus: { type: 'float', low: 0, high: 1, when: { one_drop: true } },
})

const point = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), {
  minLength: conditional.params.length,
  maxLength: conditional.params.length,
})

describe('space codec', () => {
  it('decodes every point of the unit cube to a valid configuration (property)', () => {
    fc.assert(
      fc.property(point, (u) => {
        expect(validateConfig(conditional, decodePoint(conditional, u))).toEqual([])
      }),
      { numRuns: 500 },
    )
  })

  it('decode(encode(c)) = c for every valid configuration (property)', () => {
    fc.assert(
      fc.property(point, (u) => {
        const c = decodePoint(conditional, u)
        const x = encodeConfig(conditional, c)
        const back = decodePoint(
          conditional,
          x.map((v) => v ?? 0.5),
        )
        expect(back).toEqual(c)
      }),
      { numRuns: 500 },
    )
  })

  it('applies log scale, steps and categorical bins exactly', () => {
    const [booster, , lr, subsample] = conditional.params
    expect(decodeUnit(lr, 0)).toBeCloseTo(1e-4, 12)
    expect(decodeUnit(lr, 0.5)).toBeCloseTo(1e-2, 12)
    expect(decodeUnit(lr, 1)).toBe(1)
    expect(decodeUnit(subsample, 0.9)).toBe(0.95)
    expect(decodeUnit(booster, 0.34)).toBe('dart')
    expect(decodeUnit(booster, 1)).toBe('gblinear')
    const int: ParamSpec = { name: 'n', type: 'int', low: 1, high: 3, log: false, step: 1 }
    expect([0, 0.24, 0.26, 0.74, 0.76, 1].map((x) => decodeUnit(int, x))).toEqual([
      1, 1, 2, 2, 3, 3,
    ])
    expect(encodeUnit(booster, 'gblinear')).toBeCloseTo(5 / 6)
  })

  it('drops inactive parameters and validateConfig names them', () => {
    const c = decodePoint(
      conditional,
      conditional.params.map(() => 0.9),
    )
    expect(c.booster).toBe('gblinear')
    expect('max_depth' in c).toBe(false)
    expect(validateConfig(conditional, { ...c, max_depth: 3 }).map((e) => e.rule)).toContain(
      'inactive',
    )
    expect(validateConfig(conditional, { ...c, lr: 2 }).map((e) => e.rule)).toContain('range')
    expect(validateConfig(conditional, { ...c, subsample: 0.52 }).map((e) => e.rule)).toContain(
      'step',
    )
    expect(validateConfig(conditional, { ...c, extra: 1 }).map((e) => e.rule)).toContain(
      'unknown-param',
    )
  })

  it('samples reproducibly from a seed', () => {
    const a = Array.from(
      { length: 5 },
      (
        (r) => () =>
          sampleConfig(conditional, r)
      )(createRng(7)),
    )
    const b = Array.from(
      { length: 5 },
      (
        (r) => () =>
          sampleConfig(conditional, r)
      )(createRng(7)),
    )
    expect(a).toEqual(b)
  })
})
