import { describe, expect, it } from 'vitest'
import { parseSearchSpace, type SearchSpace } from '../../../shared/searchSpace.ts'
import { configKey, validateConfig } from '../../../shared/spaceCodec.ts'
import { type FinishedTrial, type PendingTrial, completeTrial } from '../../../shared/trial.ts'
import { createGrid, createGridTuner, gridValues } from './gridTuner.ts'

function space(raw: unknown): SearchSpace {
  const parsed = parseSearchSpace(raw)
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('\n'))
  return parsed.value
}

describe('grid tuner', () => {
  it('takes every choice, every lattice value when few, else evenly (log-)spaced points', () => {
    const s = space({
      c: { type: 'categorical', choices: ['a', 'b', 'c'] },
      i: { type: 'int', low: 1, high: 4 },
      big: { type: 'int', low: 0, high: 100 },
      f: { type: 'float', low: 0, high: 1 },
      l: { type: 'float', low: 0.001, high: 10, log: true },
      s: { type: 'float', low: 0.5, high: 1, step: 0.25 },
      k: { type: 'float', low: 2, high: 2 },
    })
    const values = Object.fromEntries(s.params.map((p) => [p.name, gridValues(p, 5)]))
    expect(values).toEqual({
      c: ['a', 'b', 'c'],
      i: [1, 2, 3, 4],
      big: [0, 25, 50, 75, 100],
      f: [0, 0.25, 0.5, 0.75, 1],
      l: [0.001, expect.closeTo(0.01, 12), expect.closeTo(0.1, 12), expect.closeTo(1, 12), 10],
      s: [0.5, 0.75, 1],
      k: [2],
    })
  })

  it('visits every point exactly once before repeating, skipping what was tried or is pending', async () => {
    const s = space({
      a: { type: 'categorical', choices: ['x', 'y'] },
      b: { type: 'int', low: 0, high: 2 },
      c: { type: 'float', low: 0, high: 1, when: { a: 'y' } },
    })
    // a=x: 3 points (c inactive); a=y: 3 × 3 points
    const tuner = createGridTuner({
      space: s,
      direction: 'minimize',
      seed: 5,
      options: { pointsPerFloat: 3 },
    })
    const enqueued = { a: 'y', b: 1, c: 0.5 }
    let finished: FinishedTrial[] = [completeTrial(0, enqueued, 1)]
    const pending: PendingTrial[] = []
    const keys: string[] = [configKey(enqueued)]
    for (let i = 1; i < 12; i++) {
      const p = await tuner.ask({ finished, pending })
      expect(validateConfig(s, p.params)).toEqual([])
      keys.push(configKey(p.params))
      if (i % 2) pending.push({ number: i, params: p.params, tunerData: null })
      else finished = [...finished, completeTrial(i, p.params, 0)]
    }
    expect(new Set(keys).size).toBe(12)
    const again = await tuner.ask({ finished, pending })
    expect(keys).toContain(configKey(again.params))
    expect(createGrid(s, 3).size).toBe(18)
  })

  it('refuses a grid too large to index', () => {
    const raw: Record<string, unknown> = {}
    for (let i = 0; i < 40; i++) raw[`p${i}`] = { type: 'float', low: 0, high: 1 }
    expect(() =>
      createGridTuner({
        space: space(raw),
        direction: 'minimize',
        seed: 0,
        options: { pointsPerFloat: 10 },
      }),
    ).toThrow(/too many/)
  })
})
