import { describe, expect, it } from 'vitest'
import { inferOptunaSpace } from './optunaSpace.ts'
import type { OptunaDistribution, OptunaTrial } from './optunaStudy.ts'

const cat = (choices: (string | number | boolean | null)[]): OptunaDistribution => ({
  kind: 'categorical',
  choices,
})
const float = (low: number, high: number, extra: Partial<OptunaDistribution> = {}) =>
  ({ kind: 'float', low, high, log: false, step: null, ...extra }) as OptunaDistribution
const int = (low: number, high: number, step = 1) =>
  ({ kind: 'int', low, high, log: false, step }) as OptunaDistribution

let n = 0
function trial(
  params: Record<string, [OptunaDistribution, string | number | boolean]>,
  state: OptunaTrial['state'] = 'COMPLETE',
): OptunaTrial {
  return {
    number: n++,
    state,
    params: Object.fromEntries(Object.entries(params).map(([k, [, v]]) => [k, v])),
    distributions: Object.fromEntries(Object.entries(params).map(([k, [d]]) => [k, d])),
    values: [1],
    intermediate: [],
    userAttrs: {},
    systemAttrs: {},
    datetimeStart: null,
    datetimeComplete: null,
  }
}

describe('inferOptunaSpace', () => {
  const opt = cat(['adam', 'sgd'])
  it('makes a parameter some trials lack conditional on the choice that tells when', () => {
    const s = inferOptunaSpace([
      trial({ x: [float(0, 1), 0.5], opt: [opt, 'sgd'], m: [float(0, 1), 0.9] }),
      trial({ x: [float(0, 1), 0.1], opt: [opt, 'adam'] }),
      trial({ x: [float(0, 1), 0.2], opt: [opt, 'sgd'], m: [float(0, 1), 0.3] }),
    ])
    expect(s.problems).toEqual([])
    expect(s.raw.m).toEqual({ type: 'float', low: 0, high: 1, when: { opt: ['sgd'] } })
  })

  it('merges the ranges a parameter had in different trials; a changed kind is a problem', () => {
    const s = inferOptunaSpace([
      trial({ x: [float(0, 1), 0.5] }),
      trial({ x: [float(-1, 0.5), 0] }),
    ])
    expect(s.raw.x).toEqual({ type: 'float', low: -1, high: 1 })
    const bad = inferOptunaSpace([trial({ x: [float(0, 1), 0.5] }), trial({ x: [int(0, 3), 1] })])
    expect(bad.problems[0]).toMatch(
      /parameter "x" changes distribution between trials \d+ and \d+: FloatDistribution\(low=0, high=1, log=false, step=null\) vs IntDistribution/,
    )
  })

  it('says when no parameter explains a conditional one, and leaves out one only failed trials have', () => {
    const s = inferOptunaSpace([
      trial({ x: [float(0, 1), 0.5], y: [float(0, 1), 0.5] }),
      trial({ x: [float(0, 1), 0.7] }),
      trial({ x: [float(0, 1), 0.7], z: [float(0, 1), 0.7] }, 'FAIL'),
    ])
    expect(s.problems).toEqual([
      `parameter "y" is set in 1 of 2 complete and pruned trials, and no categorical, bool or integer parameter's value tells when; HPO Studio declares a conditional parameter with "when: {parent: values}"`,
    ])
    expect(s.dropped).toEqual([
      'parameter "z" appears only in failed or unfinished trials; it is left out',
    ])
  })

  it('does not condition on a wide integer that splits the trials by chance', () => {
    const wide = int(0, 1000)
    const s = inferOptunaSpace([
      trial({ w: [wide, 17], y: [float(0, 1), 0.5] }),
      trial({ w: [wide, 400] }),
    ])
    expect(s.problems[0]).toContain('parameter "y" is set in 1 of 2')
  })
})
