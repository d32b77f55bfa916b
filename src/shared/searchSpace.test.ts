import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseSearchSpace, searchSpaceToRaw } from './searchSpace.ts'
import { decodePoint, validateConfig } from './spaceCodec.ts'

const errorsOf = (raw: unknown) => {
  const r = parseSearchSpace(raw)
  return r.ok ? [] : r.errors
}

describe('parseSearchSpace', () => {
  it('parses every parameter type with defaults', () => {
    const r = parseSearchSpace({
      max_depth: { type: 'int', low: 1, high: 25 },
      learning_rate: { type: 'float', low: 0.001, high: 0.1, log: true },
      subsample: { type: 'float', low: 0.5, high: 1.0, step: 0.05 },
      booster: { type: 'categorical', choices: ['gbtree', 'dart'] },
      rate_drop: { type: 'float', low: 0, high: 0.5, when: { booster: 'dart' } },
      one_drop: { type: 'bool', when: { booster: ['dart'] } },
    })
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.value.params.map((p) => p.name)).toEqual([
      'max_depth',
      'learning_rate',
      'subsample',
      'booster',
      'rate_drop',
      'one_drop',
    ])
    expect(r.value.params[0]).toEqual({
      name: 'max_depth',
      type: 'int',
      low: 1,
      high: 25,
      log: false,
      step: 1,
    })
    expect(r.value.params[4].when).toEqual({ booster: ['dart'] })
  })

  it('says the rule, the path and the value', () => {
    const [e] = errorsOf({ lr: { type: 'float', low: 0, high: 1, log: true } })
    expect(e).toEqual({
      path: 'space.lr',
      rule: 'positive-when-log',
      value: 0,
      message: 'space.lr: low must be > 0 when log is true, got low=0',
    })
  })

  it.each([
    [{ a: { type: 'float', low: 2, high: 1 } }, 'low-le-high'],
    [{ a: { type: 'float', low: 1, high: 2, log: true, step: 0.1 } }, 'log-xor-step'],
    [{ a: { type: 'int', low: 1.5, high: 3 } }, 'integer'],
    [{ a: { type: 'float', low: 0, high: 1, stepp: 0.1 } }, 'unknown-key'],
    [{ a: { type: 'float', low: 0, high: 1, step: 0 } }, 'positive-step'],
    [{ a: { type: 'float', low: 'x', high: 1 } }, 'finite-number'],
    [{ a: { type: 'categorical', choices: ['x'] } }, 'min-choices'],
    [{ a: { type: 'categorical', choices: ['x', 'x'] } }, 'duplicate-choice'],
    [{ a: { type: 'tensor' } }, 'enum'],
    [{ a: { type: 'float', low: 0, high: 1, when: { nope: 1 } } }, 'unknown-parent'],
    [
      {
        b: { type: 'categorical', choices: ['u', 'v'] },
        a: { type: 'float', low: 0, high: 1, when: { b: 'w' } },
      },
      'unknown-choice',
    ],
    [{ a: { type: 'bool', when: { b: true } }, b: { type: 'bool', when: { a: true } } }, 'cycle'],
    [{ '9x': { type: 'bool' } }, 'name'],
    [{}, 'non-empty'],
  ])('rejects %j with rule %s', (raw, rule) => {
    expect(errorsOf(raw).map((e) => e.rule)).toContain(rule)
  })

  it('orders parents before children', () => {
    const r = parseSearchSpace({
      child: { type: 'bool', when: { parent: true } },
      parent: { type: 'bool' },
    })
    expect(r.ok && r.value.params.map((p) => p.name)).toEqual(['parent', 'child'])
  })

  it('round-trips through the study-file form', () => {
    const raw = {
      a: { type: 'float', low: 0.001, high: 1, log: true },
      b: { type: 'int', low: 1, high: 9, step: 2 },
      c: { type: 'categorical', choices: [1, 'x', true] },
      d: { type: 'bool', when: { c: 'x' } },
    }
    const r = parseSearchSpace(raw)
    expect(r.ok).toBe(true)
    if (r.ok) expect(searchSpaceToRaw(r.value)).toEqual(raw)
  })
})

describe('a space that passes validation', () => {
  const edge = fc.constantFrom(0, 1, -1, 5e-324, 1e-300, 1e308, -1e308, 2 ** 53, 1e300, 0.1)
  const number = fc.oneof(edge, fc.double({ noNaN: true, noDefaultInfinity: true }))
  const param = fc.record({
    type: fc.constantFrom('float', 'int'),
    low: number,
    high: number,
    log: fc.boolean(),
    step: fc.option(fc.oneof(edge, fc.double({ min: 5e-324, noNaN: true })), { nil: undefined }),
  })

  it('only makes configurations that validate (property)', () => {
    fc.assert(
      fc.property(param, fc.double({ min: 0, max: 1, noNaN: true }), (def, u) => {
        const raw = Object.fromEntries(Object.entries(def).filter(([, v]) => v !== undefined))
        const r = parseSearchSpace({ a: raw })
        if (!r.ok) return
        for (const x of [0, u, 1]) {
          const config = decodePoint(r.value, [x])
          expect(validateConfig(r.value, config), JSON.stringify({ raw, x, config })).toEqual([])
        }
      }),
      { numRuns: 300, seed: 14 },
    )
  })

  it.each([
    [{ type: 'float', low: -1e308, high: 1e308 }, 'range-width'],
    [{ type: 'float', low: 0, high: 1, step: 5e-324 }, 'step-count'],
    [{ type: 'int', low: -1e300, high: 1e300 }, 'safe-integer'],
  ])('refuses %j (rule %s) instead of failing at run', (def, rule) => {
    expect(errorsOf({ a: def }).map((e) => e.rule)).toContain(rule)
  })

  it('refuses names that are JavaScript object keys, and names longer than 100', () => {
    const proto = JSON.parse('{"__proto__": {"type": "bool"}}') as unknown
    expect(errorsOf(proto).map((e) => e.message)).toEqual([
      'space.__proto__: "__proto__" is a reserved name (an object key in JavaScript); rename the parameter',
    ])
    expect(errorsOf({ constructor: { type: 'bool' } }).map((e) => e.rule)).toEqual(['name'])
    const long = 'p'.repeat(1_000_000)
    const [e] = errorsOf({ [long]: { type: 'bool' } })
    expect(e.rule).toBe('name')
    expect(e.message.length).toBeLessThan(300)
    expect(errorsOf({ ['p'.repeat(100)]: { type: 'bool' } })).toEqual([])
  })
})
