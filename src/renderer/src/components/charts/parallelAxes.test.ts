import { describe, expect, it } from 'vitest'
import type { ParamPoints } from '../../../../shared/analysisViews.ts'
import type { ParamSpec } from '../../../../shared/searchSpace.ts'
import { axisScales, brushesFromFilter, filterWithBrush, withoutBrushes } from './parallelAxes.ts'

const params: ParamSpec[] = [
  { name: 'booster', type: 'categorical', choices: ['gbtree', 'dart', 'gblinear'] },
  { name: 'eta', type: 'float', low: 0.001, high: 1, log: true },
  { name: 'flag', type: 'bool' },
]
const points: ParamPoints = {
  direction: 'maximize',
  metric: 'accuracy',
  axes: [
    {
      name: 'booster',
      type: 'categorical',
      log: false,
      low: 0,
      high: 2,
      choices: ['gbtree', 'dart', 'gblinear'],
      conditional: false,
    },
    {
      name: 'eta',
      type: 'float',
      log: true,
      low: 0.001,
      high: 1,
      choices: null,
      conditional: false,
    },
    {
      name: 'flag',
      type: 'bool',
      log: false,
      low: 0,
      high: 1,
      choices: ['false', 'true'],
      conditional: false,
    },
  ],
  numbers: [0, 1],
  states: ['complete', 'complete'],
  values: [0.5, 0.9],
  columns: [
    [0, 2],
    [0.01, 0.1],
    [0, 1],
  ],
  inFilter: null,
  total: 2,
  sampled: false,
}

describe('parallel coordinates axes', () => {
  const scales = axisScales(points, params)

  it('puts log parameters on a log scale and the objective last', () => {
    expect(scales.map((s) => s.param)).toEqual(['booster', 'eta', 'flag', null])
    expect(scales[1].toUnit(0.0316)).toBeCloseTo(0.5, 2)
    expect(scales[3]).toMatchObject({ lo: 0.5, hi: 0.9, label: 'accuracy' })
  })

  it('turns a brush into the filter and the filter back into the brush', () => {
    let f = filterWithBrush(scales, { states: ['complete'] }, 1, [0.5, 1])
    expect(f.paramRanges?.eta.min).toBeCloseTo(0.0316, 3)
    expect(f.paramRanges?.eta.max).toBe(1)
    f = filterWithBrush(scales, f, 0, [0.4, 1])
    expect(f.paramChoices).toEqual({ booster: ['dart', 'gblinear'] })
    f = filterWithBrush(scales, f, 2, [0.9, 1])
    expect(f.paramChoices?.flag).toEqual([true])
    f = filterWithBrush(scales, f, 3, [0.5, 1])
    expect(f).toMatchObject({ valueMin: 0.7, valueMax: 0.9, states: ['complete'] })
    const brushes = brushesFromFilter(scales, f)
    expect([...brushes.keys()].sort()).toEqual([0, 1, 2, 3])
    expect(brushes.get(1)![0]).toBeCloseTo(0.5, 2)
    expect(brushes.get(0)![0]).toBeLessThan(0.5)
    expect(brushes.get(0)![1]).toBe(1)
    expect(withoutBrushes(f)).toEqual({ states: ['complete'] })
    expect(filterWithBrush(scales, f, 0, null).paramChoices).toEqual({ flag: [true] })
  })
})
