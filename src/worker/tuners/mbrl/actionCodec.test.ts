import { describe, expect, it } from 'vitest'
import { createRng } from '../../../shared/rng.ts'
import { parseSearchSpace, type SearchSpace } from '../../../shared/searchSpace.ts'
import { validateConfig } from '../../../shared/spaceCodec.ts'
import { agentOrder, decodeActions, describePolicy, encodeActions } from './actionCodec.ts'

function space(raw: unknown): SearchSpace {
  const parsed = parseSearchSpace(raw)
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
  return parsed.value
}

const mixed = space({
  lr: { type: 'float', low: 1e-4, high: 1e-1, log: true },
  depth: { type: 'int', low: 1, high: 25 },
  frac: { type: 'float', low: 0.5, high: 1, step: 0.05 },
  units: { type: 'int', low: 16, high: 1024, log: true },
  booster: { type: 'categorical', choices: ['gbtree', 'dart', 'gblinear'] },
  rate_drop: { type: 'float', low: 0, high: 0.5, when: { booster: 'dart' } },
  shuffle: { type: 'bool' },
  pool: { type: 'categorical', choices: ['max', 'average'], when: { shuffle: true } },
})
const file = mixed.params.map((_, i) => i)
const at = (name: string): number => mixed.params.findIndex((p) => p.name === name)

/** Actions (file order) with every parameter at u, except the ones given. */
function actions(u: number, overrides: Record<string, number> = {}): number[] {
  return mixed.params.map((p) => overrides[p.name] ?? u)
}

describe('action codec', () => {
  it('decodes u = −1 and u = 1 (and beyond, clipped) to the bounds of every type', () => {
    const low = decodeActions(mixed, file, actions(-1, { booster: 0 }))
    expect(low.lr).toBeCloseTo(1e-4, 15)
    expect(low).toMatchObject({ depth: 1, frac: 0.5, units: 16, shuffle: false })
    const high = decodeActions(mixed, file, actions(3, { booster: 0 }))
    expect(high.lr).toBeCloseTo(0.1, 12)
    expect(high).toMatchObject({ depth: 25, frac: 1, units: 1024, shuffle: true })
  })

  it('decodes x = (u+1)/2 linearly, in log space, on the step grid, and by index for choices', () => {
    const c = decodeActions(mixed, file, actions(0, { booster: -0.9 }))
    expect(c.lr).toBeCloseTo(Math.sqrt(1e-4 * 1e-1), 10)
    expect(c.depth).toBe(13)
    expect(c.frac).toBe(0.75)
    expect(c.units).toBe(Math.round(Math.sqrt(16 * 1024)))
    // categorical with k choices: index = min(k − 1, floor(x·k)); bool = categorical of 2
    expect(decodeActions(mixed, file, actions(0, { booster: -0.9 })).booster).toBe('gbtree')
    expect(decodeActions(mixed, file, actions(0, { booster: 0 })).booster).toBe('dart')
    expect(decodeActions(mixed, file, actions(0, { booster: 1 })).booster).toBe('gblinear')
    expect(decodeActions(mixed, file, actions(-0.01)).shuffle).toBe(false)
    expect(decodeActions(mixed, file, actions(0.01)).shuffle).toBe(true)
  })

  it('drops a conditional parameter whose parent condition is false, keeps it when true', () => {
    const off = decodeActions(mixed, file, actions(-0.5, { booster: -0.9 }))
    expect(off).not.toHaveProperty('rate_drop')
    expect(off).not.toHaveProperty('pool')
    const on = decodeActions(mixed, file, actions(0.5, { booster: 0 }))
    expect(on.rate_drop).toBeCloseTo(0.375, 12)
    expect(on.pool).toBe('average')
    for (const c of [off, on]) expect(validateConfig(mixed, c)).toEqual([])
  })

  it('decodes in the agent order: step t sets the parameter order[t]', () => {
    const order = agentOrder(mixed, 'shuffled', createRng(3))
    expect([...order].sort((a, b) => a - b)).toEqual(file)
    expect(order).not.toEqual(file)
    const h = order.map((param) => (param === at('depth') ? 1 : -1))
    const c = decodeActions(mixed, order, h)
    expect(c.depth).toBe(25)
    expect(c.lr).toBeCloseTo(1e-4, 15)
    expect(agentOrder(mixed, 'file', createRng(3))).toEqual(file)
  })

  it('encodes a configuration back to actions that decode to it; absent parameters take the mean', () => {
    const order = agentOrder(mixed, 'shuffled', createRng(9))
    const rng = createRng(1)
    for (let i = 0; i < 50; i++) {
      const h = order.map(() => 2 * rng.next() - 1)
      const config = decodeActions(mixed, order, h)
      const mean = order.map((_, t) => t / 10)
      const u = encodeActions(mixed, order, config, mean)
      expect(decodeActions(mixed, order, u)).toEqual(config)
      order.forEach((param, t) => {
        if (!(mixed.params[param].name in config)) expect(u[t]).toBe(mean[t])
      })
    }
  })

  it('describes the policy per parameter in real units, in space order', () => {
    const order = [...file].reverse()
    const mean = order.map(() => 0)
    const spread = order.map(() => 0.5)
    const policy = describePolicy(mixed, order, mean, spread)
    expect(policy.map((p) => p.name)).toEqual(mixed.params.map((p) => p.name))
    const depth = policy[at('depth')]
    expect(depth).toMatchObject({ mean: 0, spread: 0.5, meanValue: 13, lowValue: 7, highValue: 19 })
  })
})
