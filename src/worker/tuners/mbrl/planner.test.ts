import { describe, expect, it } from 'vitest'
import { createRng } from '../../../shared/rng.ts'
import type { SearchSpace } from '../../../shared/searchSpace.ts'
import { configKey } from '../../../shared/spaceCodec.ts'
import { completeTrial } from '../../../shared/trial.ts'
import { createGpEncoding } from '../gp/gpEncoding.ts'
import { decodeActions } from './actionCodec.ts'
import { emptyCore } from './agentState.ts'
import { conditionGp, encodeConfigs, gpLogEi } from './gpSurrogate.ts'
import { candidateActions, mixCategorical, planEpisode, type PlanContext } from './planner.ts'
import { rlOptions } from './rlOptions.ts'

const space: SearchSpace = {
  params: [
    { name: 'x', type: 'float', low: 0, high: 1, log: false },
    { name: 'y', type: 'float', low: 0, high: 1, log: false },
    { name: 'c', type: 'categorical', choices: ['a', 'b', 'c', 'd'] },
  ],
}
const order = [0, 1, 2]
const hyper = { inverseSquaredLengthscales: [20, 20, 1, 1, 1, 1], kernelScale: 1, noiseVar: 1e-4 }
const lossOf = (u: number[]) => (u[0] - 0.3) ** 2 + (u[1] + 0.2) ** 2

/** A planner over `points` actions already evaluated (loss = lossOf), the GP's hyperparameters fixed. */
function context(options: Record<string, unknown>, seed = 1, points = 12): PlanContext {
  const rng = createRng(99)
  const core = emptyCore()
  for (let i = 0; i < points; i++) {
    const u = [rng.next() * 2 - 1, rng.next() * 2 - 1, rng.next() * 2 - 1]
    core.data.u.push(u)
    core.data.scores.push(-lossOf(u))
  }
  core.gpHyper = hyper
  return {
    space,
    options: rlOptions('mbrl', options),
    encoding: createGpEncoding(space),
    useGp: true,
    order,
    rng: createRng(seed),
    core,
  }
}

const policy = { mean: [0.6, 0.6, 0], spread: [0.1, 0.1, 0.1] }
const finished = (p: PlanContext) =>
  p.core.data.u.map((u, i) =>
    completeTrial(i, decodeActions(space, order, u), -p.core.data.scores[i]),
  )

function eiOf(p: PlanContext, h: number[]): number {
  const model = conditionGp(
    encodeConfigs(
      p.encoding,
      p.core.data.u.map((u) => decodeActions(space, order, u)),
    ),
    p.core.data.scores.map((s) => -s),
    hyper,
    p.options.warp,
  )!
  return gpLogEi(model, encodeConfigs(p.encoding, [decodeActions(space, order, h)]))[0]
}

describe('planEpisode', () => {
  it('without a model, evaluates the agent’s own sample with its log π', () => {
    const p = { ...context({ planning: 64 }), useGp: false }
    const e = planEpisode(p, { finished: [], pending: [] }, policy)
    expect(e.h).toHaveLength(3)
    expect(e.logp.every(Number.isFinite)).toBe(true)
  })

  it('picks a configuration no trial has, and the refined pick ranks at least as high as the first round’s', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const p0 = context({ planning: 32, refine: 0 }, seed)
      const p2 = context({ planning: 32, refine: 2 }, seed)
      const ctx = { finished: finished(p0), pending: [] }
      const first = planEpisode(p0, ctx, policy)
      const refined = planEpisode(p2, ctx, policy)
      const taken = new Set(ctx.finished.map((t) => configKey(t.params)))
      expect(taken.has(configKey(decodeActions(space, order, refined.h)))).toBe(false)
      expect(eiOf(p2, refined.h)).toBeGreaterThanOrEqual(eiOf(p0, first.h) - 1e-12)
    }
  })

  it('explore: categorical widens only the categorical steps of the exploring share', () => {
    const spreadOf = (hs: number[][], t: number) => Math.max(...hs.map((h) => Math.abs(h[t] - 0.6)))
    const only = candidateActions(
      context({ planning: 400, exploration: 1, explore: 'categorical', local: 0 }),
      policy,
    )
    const all = candidateActions(
      context({ planning: 400, exploration: 1, explore: 'all', local: 0 }),
      policy,
    )
    for (const t of [0, 1]) {
      expect(spreadOf(only, t)).toBeLessThan(0.5)
      expect(spreadOf(all, t)).toBeGreaterThan(1)
    }
    const choices = new Set(only.map((h) => decodeActions(space, order, h).c))
    expect(choices.size).toBe(4)
  })
})

describe('mixCategorical', () => {
  it('gives about half the refined episodes a first-round choice at unordered categorical steps only', () => {
    const mixedSpace: SearchSpace = {
      params: [
        { name: 'x', type: 'float', low: 0, high: 1, log: false },
        { name: 'size', type: 'categorical', choices: [16, 32, 64], ordered: true },
        { name: 'c', type: 'categorical', choices: ['a', 'b', 'c', 'd'] },
      ],
    }
    const p = { ...context({}), space: mixedSpace }
    const elites = Array.from({ length: 400 }, () => [0.5, 0.5, -0.9])
    const firstEpisodes = Array.from({ length: 50 }, (_, i) => [-0.5, -0.5, i / 25 - 1])
    mixCategorical(p, elites, firstEpisodes)
    expect(elites.every((h) => h[0] === 0.5 && h[1] === 0.5)).toBe(true)
    const kept = elites.filter((h) => h[2] === -0.9).length
    expect(kept).toBeGreaterThan(150)
    expect(kept).toBeLessThan(250)
    const taken = elites.filter((h) => h[2] !== -0.9)
    expect(taken.every((h) => firstEpisodes.some((f) => f[2] === h[2]))).toBe(true)
  })
})

describe('candidateActions', () => {
  it('draws the `local` share around the best real result, the rest from the policy', () => {
    const p = context({ planning: 100, exploration: 0, local: 0.3 })
    const { scores, u } = p.core.data
    const best = u[scores.indexOf(Math.max(...scores))]
    const wide = { mean: policy.mean, spread: [0.1, 0.1, 0.1] }
    const h = candidateActions(p, wide)
    expect(h).toHaveLength(100)
    const near = (x: number[], c: number[]) => x.every((v, t) => Math.abs(v - c[t]) < 0.45)
    expect(h.slice(70).every((x) => near(x, best))).toBe(true)
    expect(h.slice(0, 70).every((x) => near(x, policy.mean))).toBe(true)
    expect(near(best, policy.mean)).toBe(false)
  })
})
