// The suite every Tuner must pass: validity, determinism, state round-trips,
// resumption, failed / pending / foreign trials, tiny and constant spaces.
import { describe, expect, it } from 'vitest'
import { createRng } from '../../src/shared/rng.ts'
import { parseSearchSpace, type Config, type SearchSpace } from '../../src/shared/searchSpace.ts'
import { encodeUnit, sampleConfig, validateConfig } from '../../src/shared/spaceCodec.ts'
import type { FinishedTrial, Json, PendingTrial } from '../../src/shared/trial.ts'
import {
  encodeJsonState,
  type Proposal,
  type Tuner,
  type TunerInit,
} from '../../src/shared/tuner.ts'

export type TunerMaker = (init: Omit<TunerInit, 'options'>) => Tuner

export interface ConformanceOptions {
  /** Ask/tell rounds in the longer tests; enough to leave start-up sampling (default 16). */
  rounds?: number
  /** The proposals do not depend on the seed (an unscrambled low-discrepancy sequence). */
  seedIndependent?: boolean
}

function space(raw: unknown): SearchSpace {
  const parsed = parseSearchSpace(raw)
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('\n'))
  return parsed.value
}

/** Every parameter kind, log and step, and a two-level condition. */
export const MIXED_SPACE = space({
  lr: { type: 'float', low: 1e-4, high: 1, log: true },
  depth: { type: 'int', low: 1, high: 12 },
  width: { type: 'int', low: 8, high: 512, log: true },
  subsample: { type: 'float', low: 0.5, high: 1, step: 0.05 },
  x: { type: 'float', low: -3, high: 3 },
  booster: { type: 'categorical', choices: ['gbtree', 'dart', 'gblinear'] },
  rate_drop: { type: 'float', low: 0, high: 0.5, when: { booster: 'dart' } },
  one_drop: { type: 'bool', when: { booster: 'dart' } },
  skip: { type: 'float', low: 0, high: 1, when: { one_drop: true } },
  lambda: { type: 'int', low: 0, high: 10, step: 2, when: { booster: ['gblinear', 'gbtree'] } },
})
export const SINGLE_SPACE = space({ x: { type: 'float', low: -1, high: 2 } })
export const CONSTANT_SPACE = space({
  fixed_f: { type: 'float', low: 0.25, high: 0.25 },
  fixed_i: { type: 'int', low: 7, high: 7 },
  fixed_log: { type: 'float', low: 0.01, high: 0.01, log: true },
  x: { type: 'float', low: 0, high: 1 },
  y: { type: 'int', low: 1, high: 4 },
})

/** A deterministic loss with an interior optimum, defined for any configuration of the space. */
export function conformanceLoss(s: SearchSpace, config: Readonly<Config>): number {
  let loss = 0
  for (const p of s.params) {
    if (!(p.name in config)) continue
    const u = encodeUnit(p, config[p.name])
    loss += (u - 0.3) ** 2
  }
  return loss
}

const finishedOf = (
  number: number,
  s: SearchSpace,
  proposal: Proposal,
  state: FinishedTrial['state'] = 'complete',
): FinishedTrial => {
  const value = conformanceLoss(s, proposal.params)
  return {
    number,
    state,
    params: proposal.params,
    value: state === 'failed' ? null : value,
    loss: state === 'failed' ? null : value,
    intermediate: state === 'pruned' ? [{ step: 1, value }] : [],
    tunerData: (proposal.tunerData ?? null) as Json,
  }
}

/** Runs ask → tell `rounds` times; every third trial fails when `withFailures`. */
async function drive(
  tuner: Tuner,
  s: SearchSpace,
  rounds: number,
  history: FinishedTrial[] = [],
  withFailures = false,
): Promise<{ proposals: Proposal[]; history: FinishedTrial[] }> {
  const proposals: Proposal[] = []
  for (let i = 0; i < rounds; i++) {
    const number = history.length
    const proposal = await tuner.ask({ finished: history, pending: [] })
    proposals.push(proposal)
    const state = withFailures && number % 3 === 2 ? 'failed' : 'complete'
    const trial = finishedOf(number, s, proposal, state)
    history = [...history, trial]
    await tuner.tell(trial, { finished: history, pending: [] })
  }
  return { proposals, history }
}

const plain = (p: Proposal) =>
  JSON.parse(JSON.stringify({ params: p.params, data: p.tunerData ?? null }))

function expectValid(s: SearchSpace, proposals: readonly Proposal[]): void {
  for (const p of proposals) expect(validateConfig(s, p.params)).toEqual([])
}

export interface TunerCase {
  name: string
  make: TunerMaker
  options?: ConformanceOptions
}

export function describeTunerConformance(cases: readonly TunerCase[]): void {
  describe.each(cases)('$name conforms to the Tuner contract', ({ make, options }) => {
    const rounds = options?.rounds ?? 16
    const init = (s: SearchSpace, seed = 7) => ({ space: s, direction: 'minimize' as const, seed })

    it('proposes only valid configurations, conditional parameters included', async () => {
      const { proposals } = await drive(make(init(MIXED_SPACE)), MIXED_SPACE, rounds)
      expectValid(MIXED_SPACE, proposals)
      // both branches of the condition show up or the tuner is not exploring the space
      expect(new Set(proposals.map((p) => p.params.booster)).size).toBeGreaterThan(1)
    })

    it('is reproducible for a seed', async () => {
      const a = await drive(make(init(MIXED_SPACE, 3)), MIXED_SPACE, rounds)
      const b = await drive(make(init(MIXED_SPACE, 3)), MIXED_SPACE, rounds)
      expect(b.proposals.map(plain)).toEqual(a.proposals.map(plain))
      if (options?.seedIndependent) return
      const c = await drive(make(init(MIXED_SPACE, 4)), MIXED_SPACE, rounds)
      expect(c.proposals.map(plain)).not.toEqual(a.proposals.map(plain))
    })

    it('round-trips its state: a fresh tuner loaded with it proposes the same next configuration', async () => {
      const original = make(init(MIXED_SPACE))
      const { history } = await drive(original, MIXED_SPACE, rounds)
      const state = original.saveState()
      expect(state).toBeInstanceOf(Uint8Array)
      const restored = make(init(MIXED_SPACE))
      restored.loadState(state)
      const ctx = { finished: history, pending: [] }
      expect(plain(await restored.ask(ctx))).toEqual(plain(await original.ask(ctx)))
    })

    it('refuses a state another build saved, naming the field at fault', async () => {
      const tuner = make(init(MIXED_SPACE))
      const foreign = encodeJsonState({ counter: 'three', index: -1, rng: 'mt', tpe: 1 })
      expect(() => tuner.loadState(foreign)).toThrow(/does not fit this build.*state\.\w+/)
      expect(() => tuner.loadState(new TextEncoder().encode('{"trunc'))).toThrow(
        /does not fit this build/,
      )
    })

    it('resumes after N ask/tell rounds and continues exactly as the original', async () => {
      const original = make(init(MIXED_SPACE))
      const first = await drive(original, MIXED_SPACE, Math.ceil(rounds / 2))
      const resumed = make(init(MIXED_SPACE))
      resumed.loadState(original.saveState())
      const rest = Math.floor(rounds / 2) + 2
      const a = await drive(original, MIXED_SPACE, rest, first.history)
      const b = await drive(resumed, MIXED_SPACE, rest, first.history)
      expect(b.proposals.map(plain)).toEqual(a.proposals.map(plain))
    })

    it('handles failed trials (loss null)', async () => {
      const { proposals, history } = await drive(
        make(init(MIXED_SPACE)),
        MIXED_SPACE,
        rounds,
        [],
        true,
      )
      expect(history.some((t) => t.state === 'failed' && t.loss === null)).toBe(true)
      expectValid(MIXED_SPACE, proposals)
    })

    it('handles pending trials (several asks before any tell)', async () => {
      const tuner = make(init(MIXED_SPACE))
      const { history } = await drive(tuner, MIXED_SPACE, rounds)
      const pending: PendingTrial[] = []
      for (let i = 0; i < 4; i++) {
        const p = await tuner.ask({ finished: history, pending })
        expect(validateConfig(MIXED_SPACE, p.params)).toEqual([])
        pending.push({
          number: history.length + i,
          params: p.params,
          tunerData: (p.tunerData ?? null) as Json,
        })
      }
      let finished = history
      for (const p of pending) {
        const trial = finishedOf(p.number, MIXED_SPACE, {
          params: p.params,
          tunerData: p.tunerData,
        })
        finished = [...finished, trial]
        await tuner.tell(trial, { finished, pending: pending.filter((q) => q.number > p.number) })
      }
      expect(
        validateConfig(MIXED_SPACE, (await tuner.ask({ finished, pending: [] })).params),
      ).toEqual([])
    })

    it('learns from trials it did not propose (no tunerData), pruned ones included', async () => {
      const rng = createRng(99)
      const foreign: FinishedTrial[] = Array.from({ length: rounds }, (_, i) =>
        finishedOf(
          i,
          MIXED_SPACE,
          { params: sampleConfig(MIXED_SPACE, rng) },
          i % 4 === 3 ? 'pruned' : 'complete',
        ),
      )
      const tuner = make(init(MIXED_SPACE))
      for (let i = 0; i < foreign.length; i++)
        await tuner.tell(foreign[i], { finished: foreign.slice(0, i + 1), pending: [] })
      const { proposals } = await drive(tuner, MIXED_SPACE, 4, foreign)
      expectValid(MIXED_SPACE, proposals)
    })

    it('handles a space with a single parameter', async () => {
      const { proposals } = await drive(make(init(SINGLE_SPACE)), SINGLE_SPACE, rounds)
      expectValid(SINGLE_SPACE, proposals)
    })

    it('handles constants (low == high)', async () => {
      const { proposals } = await drive(make(init(CONSTANT_SPACE)), CONSTANT_SPACE, rounds)
      expectValid(CONSTANT_SPACE, proposals)
      for (const p of proposals) {
        expect(p.params.fixed_f).toBe(0.25)
        expect(p.params.fixed_i).toBe(7)
        expect(p.params.fixed_log).toBe(0.01)
      }
    })
  })
}
