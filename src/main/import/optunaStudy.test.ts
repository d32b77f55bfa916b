import { describe, expect, it } from 'vitest'
import { optunaDateTime, parseOptunaDistribution, toExternalValue } from './optunaStudy.ts'

describe('Optuna distributions', () => {
  it("reads Optuna 3's JSON and the 2.x names json_to_distribution still accepts", () => {
    expect(
      parseOptunaDistribution(
        '{"name": "IntDistribution", "attributes": {"log": false, "step": 16, "low": 16, "high": 128}}',
      ),
    ).toEqual({ kind: 'int', low: 16, high: 128, log: false, step: 16 })
    expect(
      parseOptunaDistribution({
        name: 'DiscreteUniformDistribution',
        attributes: { low: 0, high: 1, q: 0.1 },
      }),
    ).toEqual({ kind: 'float', low: 0, high: 1, log: false, step: 0.1 })
    expect(
      parseOptunaDistribution({
        name: 'LogUniformDistribution',
        attributes: { low: 1e-5, high: 1 },
      }),
    ).toMatchObject({ kind: 'float', log: true, step: null })
    expect(() => parseOptunaDistribution({ name: 'FancyDistribution', attributes: {} })).toThrow(
      'unknown Optuna distribution "FancyDistribution"',
    )
  })

  it('turns internal values into choices and integers', () => {
    const cat = parseOptunaDistribution({
      name: 'CategoricalDistribution',
      attributes: { choices: ['a', true, 3] },
    })
    expect([0, 1, 2].map((i) => toExternalValue(cat, i))).toEqual(['a', true, 3])
    expect(() => toExternalValue(cat, 3)).toThrow('choice index 3 is outside the 3 choices')
    expect(toExternalValue({ kind: 'int', low: 0, high: 9, log: false, step: 1 }, 4.0)).toBe(4)
  })

  it('reads naive local datetimes as local time, to the millisecond', () => {
    expect(optunaDateTime('2024-05-01 12:00:00.123456')).toBe(
      new Date(2024, 4, 1, 12, 0, 0, 123).toISOString(),
    )
    expect(optunaDateTime('2024-05-01T12:00:00+02:00')).toBe('2024-05-01T10:00:00.000Z')
    expect(optunaDateTime(null)).toBeNull()
  })
})
