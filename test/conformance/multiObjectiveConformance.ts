// The suite every tuner that takes several objectives or constraints must pass: valid proposals,
// determinism, state round-trips and resumption with vectors of losses and violations, and trials
// that carry none (failed, pruned, foreign, a constraint never reported).
import { describe, expect, it } from 'vitest'
import { createRng } from '../../src/shared/rng.ts'
import type { Config, SearchSpace } from '../../src/shared/searchSpace.ts'
import { encodeUnit, sampleConfig, validateConfig } from '../../src/shared/spaceCodec.ts'
import type { Direction } from '../../src/shared/study.ts'
import type { FinishedTrial, Json } from '../../src/shared/trial.ts'
import type { Proposal, Tuner, TunerInit } from '../../src/shared/tuner.ts'
import { MIXED_SPACE } from './tunerConformance.ts'

export type MultiTunerMaker = (init: Omit<TunerInit, 'options'>) => Tuner

export interface MultiTunerCase {
  name: string
  make: MultiTunerMaker
  /** The proposals do not depend on the seed. */
  seedIndependent?: boolean
}

/** Conflicting objectives of the unit-cube coordinates, and a constraint x ≤ 0.8 (in the cube). */
function evaluate(s: SearchSpace, config: Readonly<Config>, objectives: number) {
  const losses = new Array<number>(objectives).fill(0)
  for (const p of s.params) {
    if (!(p.name in config)) continue
    const u = encodeUnit(p, config[p.name])
    for (let k = 0; k < objectives; k++) losses[k] += (u - (k + 1) / (objectives + 1)) ** 2
  }
  const x = 'x' in config ? encodeUnit(MIXED_SPACE.params[4], config.x) : 0
  return { losses, violations: [Math.max(0, x - 0.8)] }
}

type Kind = FinishedTrial['state'] | 'unreported'

function trialOf(number: number, proposal: Proposal, objectives: number, kind: Kind) {
  const { losses, violations } = evaluate(MIXED_SPACE, proposal.params, objectives)
  const complete = kind === 'complete' || kind === 'unreported'
  const trial: FinishedTrial = {
    number,
    state: kind === 'unreported' ? 'complete' : kind,
    params: proposal.params,
    value: complete ? losses[0] : null,
    loss: complete ? losses[0] : null,
    intermediate: kind === 'pruned' ? [{ step: 1, value: losses[0] }] : [],
    tunerData: (proposal.tunerData ?? null) as Json,
    losses: complete ? losses : null,
    violations: kind === 'complete' ? violations : null,
  }
  return trial
}

const kindAt = (i: number): Kind =>
  i % 7 === 6 ? 'failed' : i % 7 === 5 ? 'pruned' : i % 11 === 10 ? 'unreported' : 'complete'

async function drive(
  tuner: Tuner,
  objectives: number,
  rounds: number,
  history: FinishedTrial[] = [],
) {
  const proposals: Proposal[] = []
  for (let i = 0; i < rounds; i++) {
    const number = history.length
    const proposal = await tuner.ask({ finished: history, pending: [] })
    proposals.push(proposal)
    const trial = trialOf(number, proposal, objectives, kindAt(number))
    history = [...history, trial]
    await tuner.tell(trial, { finished: history, pending: [] })
  }
  return { proposals, history }
}

const plain = (p: Proposal) =>
  JSON.parse(JSON.stringify({ params: p.params, data: p.tunerData ?? null }))

export function describeMultiObjectiveConformance(cases: readonly MultiTunerCase[]): void {
  describe.each(cases)('$name conforms on several objectives and constraints', (c) => {
    const rounds = 24
    const init = (objectives: number, seed = 7) => {
      const directions = new Array<Direction>(objectives).fill('minimize')
      return {
        space: MIXED_SPACE,
        direction: directions[0],
        directions,
        constraints: 1,
        seed,
      }
    }

    it('proposes valid configurations with 2 and 3 objectives, every kind of trial in the history', async () => {
      for (const objectives of [2, 3]) {
        const { proposals, history } = await drive(c.make(init(objectives)), objectives, rounds)
        for (const p of proposals) expect(validateConfig(MIXED_SPACE, p.params)).toEqual([])
        expect(new Set(history.map((t) => t.state)).size).toBe(3)
      }
    })

    it('is reproducible for a seed', async () => {
      const a = await drive(c.make(init(2, 3)), 2, rounds)
      const b = await drive(c.make(init(2, 3)), 2, rounds)
      expect(b.proposals.map(plain)).toEqual(a.proposals.map(plain))
      if (c.seedIndependent) return
      const d = await drive(c.make(init(2, 4)), 2, rounds)
      expect(d.proposals.map(plain)).not.toEqual(a.proposals.map(plain))
    })

    it('resumes from its saved state exactly as the original continues', async () => {
      const original = c.make(init(2))
      const first = await drive(original, 2, rounds / 2)
      const resumed = c.make(init(2))
      resumed.loadState(original.saveState())
      const a = await drive(original, 2, rounds / 2 + 2, first.history)
      const b = await drive(resumed, 2, rounds / 2 + 2, first.history)
      expect(b.proposals.map(plain)).toEqual(a.proposals.map(plain))
    })

    it('learns from foreign trials (no tunerData) with pending ones in flight', async () => {
      const rng = createRng(5)
      const foreign = Array.from({ length: rounds }, (_, i) =>
        trialOf(i, { params: sampleConfig(MIXED_SPACE, rng) }, 2, kindAt(i)),
      )
      const tuner = c.make(init(2))
      for (let i = 0; i < foreign.length; i++)
        await tuner.tell(foreign[i], { finished: foreign.slice(0, i + 1), pending: [] })
      const pending = [{ number: rounds, params: foreign[0].params, tunerData: null }]
      const p = await tuner.ask({ finished: foreign, pending })
      expect(validateConfig(MIXED_SPACE, p.params)).toEqual([])
    })
  })
}
