import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseSearchSpace, type SearchSpace } from '../../../shared/searchSpace.ts'
import { validateConfig } from '../../../shared/spaceCodec.ts'
import { syntheticFunction } from '../../../shared/syntheticFunctions.ts'
import { type FinishedTrial, type Json, completeTrial } from '../../../shared/trial.ts'
import type { Proposal } from '../../../shared/tuner.ts'
import { createMbrlTuner, type RlTuner, type RlTunerKind } from './mbrlTuner.ts'

const parsed = parseSearchSpace({
  lr: { type: 'float', low: 1e-4, high: 1e-1, log: true },
  depth: { type: 'int', low: 1, high: 12 },
  booster: { type: 'categorical', choices: ['gbtree', 'dart'] },
  rate_drop: { type: 'float', low: 0, high: 0.5, when: { booster: 'dart' } },
})
if (!parsed.ok) throw new Error('bad test space')
const space: SearchSpace = parsed.value

/** A smooth loss over the test space (lower is better). */
function lossOf(params: Proposal['params']): number {
  const lr = Math.log10(Number(params.lr))
  const depth = Number(params.depth)
  return (lr + 2) ** 2 + 0.05 * (depth - 6) ** 2 + (params.booster === 'dart' ? 0.3 : 0)
}

function make(kind: RlTunerKind, seed = 1, options: Record<string, unknown> = {}): RlTuner {
  return createMbrlTuner({ space, direction: 'minimize', seed, options, kind })
}

const ctx = { finished: [] as FinishedTrial[], pending: [] }

function finished(
  number: number,
  p: Proposal,
  loss: number | null,
  state: FinishedTrial['state'] = 'complete',
): FinishedTrial {
  return {
    number,
    state,
    params: p.params,
    value: loss,
    loss,
    intermediate: [],
    tunerData: p.tunerData ?? null,
  }
}

/** ask/tell `count` times; returns the proposals. */
async function drive(tuner: RlTuner, count: number, from = 0): Promise<Proposal[]> {
  const out: Proposal[] = []
  for (let i = from; i < from + count; i++) {
    const p = await tuner.ask(ctx)
    out.push(p)
    await tuner.tell(finished(i, p, lossOf(p.params)), ctx)
  }
  return out
}

const small = { realPerPhase: 5, maxModelEpisodes: 16 }

describe.each(['mbrl', 'rl', 'rl-onestep'] as const)('%s tuner', (kind) => {
  it('proposes valid configurations with h, log π_old and the order in tunerData', async () => {
    const tuner = make(kind)
    for (const p of await drive(tuner, 6)) {
      expect(validateConfig(space, p.params)).toEqual([])
      const data = p.tunerData as { h: number[]; logp: number[]; order: string[] }
      expect(data.h).toHaveLength(4)
      expect(data.logp).toHaveLength(4)
      expect([...data.order].sort()).toEqual(['booster', 'depth', 'lr', 'rate_drop'])
    }
  })

  it('is deterministic for a seed and differs between seeds', async () => {
    const a = (await drive(make(kind, 7, small), 12)).map((p) => p.params)
    const b = (await drive(make(kind, 7, small), 12)).map((p) => p.params)
    const c = (await drive(make(kind, 8, small), 12)).map((p) => p.params)
    expect(b).toEqual(a)
    expect(c).not.toEqual(a)
  })

  it('restored from saveState() proposes exactly what the original proposes next', async () => {
    const original = make(kind, 3, small)
    // 13 results with realPerPhase 5: two model phases done (mbrl), 3 results into the next
    await drive(original, 13)
    const state = original.saveState()
    const restored = make(kind, 99, small)
    restored.loadState(state)
    expect(JSON.stringify(restored.snapshot())).toEqual(JSON.stringify(original.snapshot()))
    // the continuation crosses the next model phase
    const next = await drive(original, 6, 13)
    const again = await drive(restored, 6, 13)
    expect(again.map((p) => p.params)).toEqual(next.map((p) => p.params))
    expect(again.map((p) => p.tunerData)).toEqual(next.map((p) => p.tunerData))
    // equal but for the phases' wall-clock durations
    const stable = (b: Uint8Array) =>
      JSON.stringify(JSON.parse(new TextDecoder().decode(b)), (k, v) =>
        k === 'durationMs' ? undefined : (v as unknown),
      )
    expect(stable(restored.saveState())).toEqual(stable(original.saveState()))
  })

  it('fills the agent snapshot', async () => {
    const tuner = make(kind, 2, small)
    const proposals = await drive(tuner, 11)
    const s = proposals[10].agentSnapshot!
    expect(s.tuner).toBe(kind)
    expect(s.realEpisodes).toBe(10)
    expect(s.params.map((p) => p.name)).toEqual(space.params.map((p) => p.name))
    for (const p of s.params) {
      expect(Math.abs(p.mean)).toBeLessThan(1)
      expect(p.spread).toBeGreaterThanOrEqual(0.05)
      expect(p.spread).toBeLessThanOrEqual(2)
    }
    expect(s.delta).toBe(0.2)
    if (kind === 'mbrl') {
      expect(s.lastModelPhase?.atRealEpisode).toBe(10)
      expect(s.lastModelPhase?.durationMs).toBeGreaterThan(0)
      expect(s.modelEpisodes).toBeGreaterThan(0)
      // the GP surrogate's leave-one-out fit is what the agent panel shows as hold-out error
      expect(s.surrogateR2).toBeLessThanOrEqual(1)
      expect(s.surrogateHoldoutError).toBeGreaterThan(0)
    } else {
      expect(s.lastModelPhase).toBeNull()
      expect(s.modelEpisodes).toBe(0)
      expect(s.kl).toBeNull()
    }
  })
})

describe('mbrl tuner', () => {
  it('tells a failed trial as the worst reward so far and learns from trials it did not propose', async () => {
    const tuner = make('mbrl', 5)
    const p0 = await tuner.ask(ctx)
    await tuner.tell(finished(0, p0, 2), ctx)
    const p1 = await tuner.ask(ctx)
    await tuner.tell(finished(1, p1, null, 'failed'), ctx)
    // imported: no tunerData, conditional parameter absent
    const imported: FinishedTrial = {
      number: 2,
      state: 'complete',
      params: { lr: 0.01, depth: 6, booster: 'gbtree' },
      value: 0.1,
      loss: 0.1,
      intermediate: [],
      tunerData: null,
    }
    await tuner.tell(imported, ctx)
    const pruned = await tuner.ask(ctx)
    await tuner.tell(finished(3, pruned, 5, 'pruned'), ctx)
    const s = tuner.snapshot()!
    expect(s.realEpisodes).toBe(4)
    expect(s.warning).toBeUndefined()
  })

  it('warns on a NaN value and keeps sampling from the last good policy', async () => {
    const tuner = make('mbrl', 6)
    await drive(tuner, 3)
    const before = tuner.snapshot()!.params
    const p = await tuner.ask(ctx)
    await tuner.tell(finished(3, p, NaN), ctx)
    const s = tuner.snapshot()!
    expect(s.warning).toMatch(/trial 3 reported a non-finite value \(NaN\)/)
    expect(s.params).toEqual(before)
    const next = await tuner.ask(ctx)
    expect(validateConfig(space, next.params)).toEqual([])
    await tuner.tell(finished(4, next, 1), ctx)
    expect(tuner.snapshot()!.warning).toBeUndefined()
  })

  it('uses stored actions saved in another order, and tolerates garbage tunerData', async () => {
    const tuner = make('rl', 8)
    const p = await tuner.ask(ctx)
    const data = p.tunerData as { h: number[]; logp: number[]; order: string[] }
    const reversed: Json = {
      h: [...data.h].reverse(),
      logp: [...data.logp].reverse(),
      order: [...data.order].reverse(),
    }
    await tuner.tell({ ...finished(0, p, 1), tunerData: reversed }, ctx)
    await tuner.tell({ ...finished(1, p, 2), tunerData: { h: 'nope' } as unknown as Json }, ctx)
    expect(tuner.snapshot()!.warning).toBeUndefined()
  })

  it('variant paper: skips a model phase when its MLP cannot predict (R² < 0) and says why', async () => {
    const tuner = make('mbrl', 9, { variant: 'paper', realPerPhase: 10 })
    let noise = 12345
    for (let i = 0; i < 10; i++) {
      const p = await tuner.ask(ctx)
      noise = (noise * 1103515245 + 12345) % 2 ** 31
      await tuner.tell(finished(i, p, noise / 2 ** 31), ctx)
    }
    await tuner.ask(ctx)
    const phase = tuner.snapshot()!.lastModelPhase!
    expect(phase.skipped).toBe(true)
    expect(phase.reason).toMatch(/surrogate R² -?\d+\.\d+ < 0/)
    expect(phase.episodes).toBe(0)
  })

  it.each(['default', 'paper'])(
    'variant %s: runs model episodes until KL(snapshot ‖ policy) passes delta or the cap',
    async (variant) => {
      const fn = syntheticFunction('branin')
      const tuner = createMbrlTuner({
        space: { params: fn.params },
        direction: 'minimize',
        seed: 0,
        options: { variant, realPerPhase: 20, delta: 0.05, maxModelEpisodes: 200 },
        kind: 'mbrl',
      })
      for (let i = 0; i < 20; i++) {
        const p = await tuner.ask(ctx)
        const v = fn.evaluate(p.params)
        await tuner.tell(completeTrial(i, p.params, v, { tunerData: p.tunerData }), ctx)
      }
      // the phase is owed to the next ask(): a study's last result starts none
      expect(tuner.snapshot()!.lastModelPhase).toBeNull()
      await tuner.ask(ctx)
      const s = tuner.snapshot()!
      const phase = s.lastModelPhase!
      expect(phase.skipped).toBe(false)
      expect(phase.episodes).toBeGreaterThan(0)
      expect(phase.kl > 0.05 || phase.episodes === 200).toBe(true)
      expect(s.modelEpisodes).toBe(phase.episodes)
      expect(s.kl).toBe(phase.kl)
      // the GP's posterior spread; one MLP has none
      if (variant === 'default') expect(phase.ensembleSpread).toBeGreaterThan(0)
      else expect(phase.ensembleSpread).toBeNull()
    },
  )

  it('records the ensemble surrogate’s spread with the model phase', async () => {
    const fn = syntheticFunction('branin')
    const tuner = createMbrlTuner({
      space: { params: fn.params },
      direction: 'minimize',
      seed: 0,
      options: { realPerPhase: 20, delta: 0.05, maxModelEpisodes: 40, surrogate: 'ensemble' },
      kind: 'mbrl',
    })
    for (let i = 0; i < 20; i++) {
      const p = await tuner.ask(ctx)
      await tuner.tell(
        completeTrial(i, p.params, fn.evaluate(p.params), { tunerData: p.tunerData }),
        ctx,
      )
    }
    await tuner.ask(ctx)
    const phase = tuner.snapshot()!.lastModelPhase!
    expect(phase.skipped).toBe(false)
    expect(phase.ensembleSpread).toBeGreaterThan(0)
  })

  it('moves the policy mean toward the reward on a one-parameter toy', async () => {
    const toy: SearchSpace = { params: [{ name: 'x', type: 'float', low: 0, high: 1, log: false }] }
    const tuner = createMbrlTuner({
      space: toy,
      direction: 'minimize',
      seed: 3,
      options: {},
      kind: 'rl',
    })
    const start = Number((await tuner.ask(ctx)).agentSnapshot!.params[0].meanValue)
    for (let i = 0; i < 40; i++) {
      const p = await tuner.ask(ctx)
      const loss = (Number(p.params.x) - 0.85) ** 2
      await tuner.tell(completeTrial(i, p.params, loss, { tunerData: p.tunerData }), ctx)
    }
    const end = tuner.snapshot()!.params[0]
    expect(Math.abs(Number(end.meanValue) - 0.85)).toBeLessThan(Math.abs(start - 0.85) / 2)
    expect(end.spread).toBeLessThan(0.7)
  })

  it('rejects a state blob from another kind', async () => {
    const state = make('rl').saveState()
    expect(() => make('mbrl').loadState(state)).toThrow(/tuner state is for "rl", not "mbrl"/)
  })
})

describe('mbrl state', () => {
  it('resumes a study an earlier version (state 1, tfjs agent) saved: its results carry over, the agent restarts, and it says so', async () => {
    const fixture = JSON.parse(
      readFileSync(
        new URL('../../../../test/fixtures/mbrl/state-v1.json', import.meta.url),
        'utf8',
      ),
    ) as { space: unknown; seed: number; options: Record<string, unknown>; state: unknown }
    const parsedSpace = parseSearchSpace(fixture.space)
    if (!parsedSpace.ok) throw new Error('bad fixture space')
    const make = () =>
      createMbrlTuner({
        space: parsedSpace.value,
        direction: 'minimize',
        seed: fixture.seed,
        options: fixture.options,
        kind: 'mbrl',
      })
    const blob = new TextEncoder().encode(JSON.stringify(fixture.state))
    const a = make()
    a.loadState(blob)
    const b = make()
    b.loadState(blob)
    const pa = await a.ask(ctx)
    expect(validateConfig(parsedSpace.value, pa.params)).toEqual([])
    expect(pa.agentSnapshot!.realEpisodes).toBe(24)
    expect(pa.agentSnapshot!.warning).toMatch(
      /earlier version saved: the agent restarted .* with the 24 results/,
    )
    expect((await b.ask(ctx)).params).toEqual(pa.params)
  })
})
