import { describe, expect, it } from 'vitest'
import { createRng } from '../../../shared/rng.ts'
import { parseSearchSpace, type SearchSpace } from '../../../shared/searchSpace.ts'
import { sampleConfig } from '../../../shared/spaceCodec.ts'
import { syntheticFunction } from '../../../shared/syntheticFunctions.ts'
import { type FinishedTrial, completeTrial } from '../../../shared/trial.ts'
import { createRandomTuner } from '../random/randomTuner.ts'
import { collectObservations, splitObservations, tpeGamma, tpeWeights } from './tpeObservations.ts'
import { encodeJsonState } from '../../../shared/tuner.ts'
import { createTpeTuner } from './tpeTuner.ts'

function space(raw: unknown): SearchSpace {
  const parsed = parseSearchSpace(raw)
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('\n'))
  return parsed.value
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b)
  const pos = (s.length - 1) * q
  const lo = Math.floor(pos)
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo)
}

describe('TPE defaults are Optuna 3.1’s', () => {
  it('gamma = min(ceil(0.1·n), 25) and the weight ramp for old observations', () => {
    const gamma = [0, 1, 9, 10, 11, 30, 70, 100, 249, 250, 300].map((n) => tpeGamma(n, 0.1, 25))
    expect(gamma).toEqual([0, 1, 1, 1, 2, 3, 7, 10, 25, 25, 25])
    expect(tpeWeights(24)).toEqual(new Array(24).fill(1))
    expect(tpeWeights(27).slice(0, 2)).toEqual([1 / 27, 1])
    expect(
      tpeWeights(30)
        .slice(0, 6)
        .map((w) => +w.toFixed(12)),
    ).toEqual([0.033333333333, 0.275, 0.516666666667, 0.758333333333, 1, 1])
  })

  it('ranks complete trials by loss, then pruned ones by the step they reached, pending last; failed ones are left out', () => {
    const trials: FinishedTrial[] = [
      completeTrial(0, { x: 0 }, 5),
      {
        ...completeTrial(1, { x: 1 }, 0),
        state: 'pruned',
        intermediate: [{ step: 3, value: 0.1 }],
      },
      { ...completeTrial(2, { x: 2 }, 0), state: 'failed', loss: null, value: null },
      completeTrial(3, { x: 3 }, 1),
      { ...completeTrial(4, { x: 4 }, 0), state: 'pruned', intermediate: [{ step: 9, value: 7 }] },
    ]
    const obs = collectObservations(
      { finished: trials, pending: [{ number: 5, params: { x: 5 }, tunerData: null }] },
      'minimize',
      true,
    )
    expect(obs.map((o) => o.number)).toEqual([0, 1, 3, 4, 5])
    const { below, above } = splitObservations(obs, 3)
    expect(below.map((i) => obs[i].number)).toEqual([0, 3, 4]) // chronological order kept
    expect(above.map((i) => obs[i].number)).toEqual([1, 5])
    // maximize: the sign of intermediate values flips
    const maxObs = collectObservations({ finished: trials, pending: [] }, 'maximize', false)
    expect(maxObs.find((o) => o.number === 4)?.score).toEqual([-9, -7])
  })

  it('proposes what Optuna 3.1.1 proposes for the same history (distribution over seeds)', async () => {
    // quantiles of 4000 Optuna 3.1.1 TPESampler proposals (seeds 0–3999) after these histories
    const reference = {
      branin: { x1: [3.2422, 3.3899, 3.5634], x2: [2.9389, 3.0361, 3.1697] },
      mixed: { x: [-3.1594, -3.0572, -2.9101], v: [6.2325, 7.2263, 7.9509], n: [16, 16, 16] },
    }
    for (const [name, n] of [
      ['branin', 30],
      ['mixed', 40],
    ] as const) {
      const fn = syntheticFunction(name)
      const s = { params: fn.params }
      const rng = createRng(2024)
      const finished = Array.from({ length: n }, (_, i) => {
        const params = sampleConfig(s, rng)
        return completeTrial(i, params, fn.evaluate(params))
      })
      const proposals = await Promise.all(
        Array.from({ length: 600 }, (_, seed) =>
          createTpeTuner({ space: s, direction: 'minimize', seed, options: {} }).ask({
            finished,
            pending: [],
          }),
        ),
      )
      for (const [param, [q25, q50, q75]] of Object.entries(reference[name])) {
        const xs = proposals.map((p) => Number(p.params[param]))
        const tol = 0.2 * Math.max(q75 - q25, 0.5)
        expect(Math.abs(quantile(xs, 0.25) - q25)).toBeLessThan(tol)
        expect(Math.abs(quantile(xs, 0.5) - q50)).toBeLessThan(tol)
        expect(Math.abs(quantile(xs, 0.75) - q75)).toBeLessThan(tol)
      }
      if (name === 'mixed') expect(proposals.every((p) => p.params.c === 'b')).toBe(true)
    }
  })
})

describe('TPE tuner', () => {
  const s = space({ x: { type: 'float', low: -10, high: 10 }, k: { type: 'int', low: 0, high: 9 } })

  it('samples at random until nStartupTrials trials are finished: losses do not matter yet', async () => {
    const rng = createRng(1)
    const configs = Array.from({ length: 12 }, () => sampleConfig(s, rng))
    const ask = (count: number, sign: number) =>
      createTpeTuner({ space: s, direction: 'minimize', seed: 3, options: {} }).ask({
        finished: configs.slice(0, count).map((c, i) => completeTrial(i, c, sign * Number(c.x))),
        pending: [],
      })
    expect(await ask(9, 1)).toEqual(await ask(9, -1))
    expect(await ask(12, 1)).not.toEqual(await ask(12, -1))
  })

  it('resumes a study whose state an earlier version saved (one sfc32 generator), and refuses garbage', async () => {
    const make = () => createTpeTuner({ space: s, direction: 'minimize', seed: 3, options: {} })
    const earlier = make()
    earlier.loadState(encodeJsonState({ rng: [1, 2, 3, 4] }))
    const ctx = { finished: [], pending: [] }
    const first = await earlier.ask(ctx)
    expect(first.params.x).toBeGreaterThanOrEqual(-10)
    expect(first).not.toEqual(await make().ask(ctx))
    expect(() => make().loadState(encodeJsonState({}))).toThrow(
      /tpe tuner state does not fit this build/,
    )
  })

  it('fits a conditional parameter only on the trials where it is active', async () => {
    const cs = space({
      booster: { type: 'categorical', choices: ['gbtree', 'dart'] },
      rate: { type: 'float', low: 0, high: 1, when: { booster: 'dart' } },
    })
    const rng = createRng(4)
    const finished = Array.from({ length: 60 }, (_, i) => {
      const c = sampleConfig(cs, rng)
      // dart trials are good when rate is near 0.8; gbtree trials are middling
      const loss = c.booster === 'dart' ? Math.abs(Number(c.rate) - 0.8) : 0.3
      return completeTrial(i, c, loss)
    })
    const rates: number[] = []
    for (let seed = 0; seed < 40; seed++) {
      const p = await createTpeTuner({ space: cs, direction: 'minimize', seed, options: {} }).ask({
        finished,
        pending: [],
      })
      if (p.params.booster === 'dart') rates.push(Number(p.params.rate))
      else expect(p.params).not.toHaveProperty('rate')
    }
    expect(rates.length).toBeGreaterThan(20)
    expect(Math.abs(quantile(rates, 0.5) - 0.8)).toBeLessThan(0.1)
  })

  it('with the constant liar, pending trials count as bad and push proposals elsewhere', async () => {
    const one = space({ x: { type: 'float', low: 0, high: 1 } })
    const rng = createRng(8)
    const finished = Array.from({ length: 30 }, (_, i) => {
      const x = rng.next()
      return completeTrial(i, { x }, Math.abs(x - 0.5))
    })
    const pending = Array.from({ length: 20 }, (_, i) => ({
      number: 30 + i,
      params: { x: 0.5 + (i - 10) / 400 },
      tunerData: null,
    }))
    const near = async (constantLiar: boolean) => {
      let count = 0
      for (let seed = 0; seed < 40; seed++) {
        const p = await createTpeTuner({
          space: one,
          direction: 'minimize',
          seed,
          options: { constantLiar },
        }).ask({ finished, pending })
        if (Math.abs(Number(p.params.x) - 0.5) < 0.025) count++
      }
      return count
    }
    expect(await near(true)).toBeLessThan(await near(false))
  })

  it('beats random search on Hartmann-3 within 60 trials (median over 6 seeds), both directions', async () => {
    const fn = syntheticFunction('hartmann3')
    const bs = { params: fn.params }
    const run = async (make: (seed: number) => ReturnType<typeof createTpeTuner>, sign: number) => {
      const regrets: number[] = []
      for (let seed = 0; seed < 6; seed++) {
        const tuner = make(seed)
        const finished: FinishedTrial[] = []
        for (let i = 0; i < 60; i++) {
          const p = await tuner.ask({ finished, pending: [] })
          const v = sign * fn.evaluate(p.params)
          finished.push({ ...completeTrial(i, p.params, sign * v), value: v })
        }
        regrets.push(Math.min(...finished.map((t) => t.loss as number)) - fn.optimum)
      }
      return quantile(regrets, 0.5)
    }
    const direction = (sign: number) => (sign > 0 ? 'minimize' : 'maximize')
    for (const sign of [1, -1]) {
      const tpe = await run(
        (seed) => createTpeTuner({ space: bs, direction: direction(sign), seed, options: {} }),
        sign,
      )
      const random = await run(
        (seed) => createRandomTuner({ space: bs, direction: direction(sign), seed }),
        sign,
      )
      expect(tpe).toBeLessThan(random / 5)
    }
  })
})
