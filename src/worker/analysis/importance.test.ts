import { describe, expect, it } from 'vitest'
import { createRng } from '../../shared/rng.ts'
import { sampleConfig } from '../../shared/spaceCodec.ts'
import { parseSearchSpace, type Config, type SearchSpace } from '../../shared/searchSpace.ts'
import { syntheticFunction } from '../../shared/syntheticFunctions.ts'
import { computeImportance, encodeTrials, subsampleIndices } from './importance.ts'

function space(raw: Record<string, unknown>): SearchSpace {
  const r = parseSearchSpace(raw)
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'))
  return r.value
}

function randomTrials(
  s: SearchSpace,
  n: number,
  seed: number,
  f: (c: Config) => number,
): { params: Config; value: number }[] {
  const rng = createRng(seed)
  return Array.from({ length: n }, () => {
    const params = sampleConfig(s, rng)
    return { params, value: f(params) }
  })
}

const branin = syntheticFunction('branin')
const braninZ: SearchSpace = {
  params: [...branin.params, { name: 'z', type: 'float', low: 0, high: 1, log: false }],
}
const SEEDS = [0, 1, 2]

describe('computeImportance', () => {
  const trials = randomTrials(braninZ, 300, 42, (c) => branin.evaluate(c))
  const result = computeImportance({
    space: braninZ,
    trials,
    seeds: SEEDS,
    timeBudgetMs: 60_000,
    maxTrials: 10_000,
  })

  it('gives an ignored dimension < 0.02 and the last rank, for each forest seed', () => {
    const z = result.params.find((p) => p.name === 'z')!
    expect(result.params.at(-1)!.name).toBe('z')
    SEEDS.forEach((_, s) => {
      expect(z.perSeed[s]).toBeLessThan(0.02)
      for (const p of result.params)
        if (p.name !== 'z') expect(p.perSeed[s]).toBeGreaterThan(z.perSeed[s])
    })
    expect(result.trialsUsed).toBe(300)
    expect(result.subsampled).toBe(false)
    expect(result.treesPerSeed).toEqual([64, 64, 64])
    expect(result.warning).toBeNull()
  })

  it('normalizes each seed to sum 1 and reports mean and spread over seeds', () => {
    SEEDS.forEach((_, s) => {
      expect(result.params.reduce((a, p) => a + p.perSeed[s], 0)).toBeCloseTo(1, 12)
    })
    for (const p of result.params) {
      const m = p.perSeed.reduce((a, v) => a + v, 0) / 3
      expect(p.mean).toBeCloseTo(m, 12)
      expect(p.std).toBeCloseTo(Math.sqrt(p.perSeed.reduce((a, v) => a + (v - m) ** 2, 0) / 3), 12)
    }
    // sorted, most important first
    expect(result.params.map((p) => p.mean)).toEqual(
      [...result.params.map((p) => p.mean)].sort((a, b) => b - a),
    )
  })

  it('is the same for value and −value (maximize and minimize agree)', () => {
    const negated = computeImportance({
      space: braninZ,
      trials: trials.map((t) => ({ params: t.params, value: -t.value })),
      seeds: SEEDS,
      timeBudgetMs: 60_000,
      maxTrials: 10_000,
    })
    expect(negated.params.map((p) => p.name)).toEqual(result.params.map((p) => p.name))
    negated.params.forEach((p, i) => {
      p.perSeed.forEach((v, s) =>
        expect(Math.abs(v - result.params[i].perSeed[s])).toBeLessThan(1e-9),
      )
    })
  })

  it('gives a function of x alone > 0.9 to x', () => {
    const s = space({
      x: { type: 'float', low: -2, high: 2 },
      lr: { type: 'float', low: 1e-4, high: 1, log: true },
      n: { type: 'int', low: 1, high: 50 },
      kind: { type: 'categorical', choices: ['a', 'b', 'c'] },
    })
    const r = computeImportance({
      space: s,
      trials: randomTrials(s, 250, 7, (c) => Math.sin(2 * Number(c.x)) + Number(c.x) ** 2),
      seeds: SEEDS,
      timeBudgetMs: 60_000,
      maxTrials: 10_000,
    })
    expect(r.params[0].name).toBe('x')
    for (const v of r.params[0].perSeed) expect(v).toBeGreaterThan(0.9)
  })

  it('measures a conditional parameter where it is active and ignores an inactive one', () => {
    const s = space({
      booster: { type: 'categorical', choices: ['gbtree', 'dart'] },
      rate_drop: { type: 'float', low: 0, high: 1, when: { booster: 'dart' } },
      one_drop: { type: 'bool', when: { booster: 'dart' } },
      eta: { type: 'float', low: 0, high: 1 },
    })
    const f = (c: Config): number =>
      Number(c.eta) + (c.booster === 'dart' ? 4 * (Number(c.rate_drop) - 0.5) ** 2 : 0)
    const r = computeImportance({
      space: s,
      trials: randomTrials(s, 400, 3, f),
      seeds: SEEDS,
      timeBudgetMs: 60_000,
      maxTrials: 10_000,
    })
    const by = Object.fromEntries(r.params.map((p) => [p.name, p]))
    expect(by.rate_drop.mean).toBeGreaterThan(0.05)
    expect(by.one_drop.mean).toBeLessThan(0.01)
    expect(r.params.at(-1)!.name).toBe('one_drop')
    // eta is 1/12 of the variance against 4/180·(1/2) for rate_drop's own marginal: it ranks first
    expect(r.params[0].name).toBe('eta')
  })

  it('subsamples big studies deterministically', () => {
    const trials = randomTrials(braninZ, 1500, 5, (c) => branin.evaluate(c))
    const args = {
      space: braninZ,
      trials,
      seeds: [4],
      timeBudgetMs: 60_000,
      maxTrials: 200,
      nTrees: 8,
    }
    const a = computeImportance(args)
    const b = computeImportance(args)
    expect(a.trialsUsed).toBe(200)
    expect(a.subsampled).toBe(true)
    expect(a.params).toEqual(b.params)
    const idx = subsampleIndices(1500, 200, 9)
    expect(new Set(idx).size).toBe(200)
    expect(idx).toEqual([...idx].sort((x, y) => x - y))
  })

  it('stops at the time budget with at least one tree per seed', () => {
    const r = computeImportance({
      space: braninZ,
      trials,
      seeds: SEEDS,
      timeBudgetMs: 0,
      maxTrials: 10_000,
    })
    expect(r.treesPerSeed).toEqual([1, 1, 1])
    expect(r.params).toHaveLength(3)
  })

  it('answers zeros with a reason when nothing can be learned', () => {
    const few = computeImportance({
      space: braninZ,
      trials: trials.slice(0, 1),
      seeds: SEEDS,
      timeBudgetMs: 1000,
      maxTrials: 100,
    })
    expect(few.warning).toMatch(/at least 2 complete trials, got 1/)
    expect(few.params.every((p) => p.mean === 0 && p.perSeed.length === 3)).toBe(true)
    const flat = computeImportance({
      space: braninZ,
      trials: trials.slice(0, 20).map((t) => ({ ...t, value: 3 })),
      seeds: SEEDS,
      timeBudgetMs: 1000,
      maxTrials: 100,
    })
    expect(flat.warning).toMatch(/same value/)
    const nonFinite = computeImportance({
      space: braninZ,
      trials: [...trials.slice(0, 30), { params: trials[0].params, value: NaN }],
      seeds: [0],
      timeBudgetMs: 1000,
      maxTrials: 100,
      nTrees: 4,
    })
    expect(nonFinite.trialsUsed).toBe(30)
  })

  it('encodes inactive parameters as random draws inside the unit cube', () => {
    const s = space({
      c: { type: 'categorical', choices: ['a', 'b', 'c'] },
      x: { type: 'float', low: 0, high: 10, when: { c: 'a' } },
      k: { type: 'categorical', choices: [1, 2, 3, 4], when: { c: 'a' } },
    })
    const rows = encodeTrials(s, [{ params: { c: 'b' }, value: 0 }], 1)
    expect(rows[0][0]).toBeCloseTo(0.5, 12)
    expect(rows[0][1]).toBeGreaterThanOrEqual(0)
    expect(rows[0][1]).toBeLessThan(1)
    expect([0.125, 0.375, 0.625, 0.875]).toContain(rows[0][2])
  })
})
