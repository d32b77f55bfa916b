// Property tests (fast-check): on random search spaces, conditional ones included, every proposal of
// every sampler is a valid configuration, through start-up sampling and the model-based phase.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseSearchSpace, type SearchSpace } from '../../src/shared/searchSpace.ts'
import { validateConfig } from '../../src/shared/spaceCodec.ts'
import type { FinishedTrial } from '../../src/shared/trial.ts'
import { tunerSpecSchema } from '../../src/shared/tunerSpec.ts'
import { createTuner } from '../../src/worker/tuners/createTuner.ts'
import { conformanceLoss } from './tunerConformance.ts'

const paramArb = fc.oneof(
  fc
    .record({
      low: fc.double({ min: -1e3, max: 1e3, noNaN: true }),
      width: fc.double({ min: 0, max: 1e3, noNaN: true }),
      step: fc.option(fc.double({ min: 1e-3, max: 10, noNaN: true }), { nil: undefined }),
    })
    .map(({ low, width, step }) =>
      step === undefined || step > width
        ? { type: 'float', low, high: low + width }
        : { type: 'float', low, high: low + width, step },
    ),
  fc
    .record({
      low: fc.double({ min: 1e-6, max: 10, noNaN: true }),
      ratio: fc.double({ min: 1, max: 1e4, noNaN: true }),
    })
    .map(({ low, ratio }) => ({ type: 'float', low, high: low * ratio, log: true })),
  fc
    .record({
      low: fc.integer({ min: -50, max: 50 }),
      width: fc.integer({ min: 0, max: 100 }),
      step: fc.integer({ min: 1, max: 7 }),
    })
    .map(({ low, width, step }) => ({ type: 'int', low, high: low + width, step })),
  fc
    .record({ low: fc.integer({ min: 1, max: 100 }), width: fc.integer({ min: 0, max: 5000 }) })
    .map(({ low, width }) => ({ type: 'int', low, high: low + width, log: true })),
  fc
    .uniqueArray(fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean()), {
      minLength: 2,
      maxLength: 5,
    })
    .map((choices) => ({ type: 'categorical', choices })),
  fc.constant({ type: 'bool' }),
)

/** 1–5 parameters; a later one may depend on an earlier categorical or bool. */
const spaceArb = fc
  .array(fc.tuple(paramArb, fc.boolean(), fc.nat()), { minLength: 1, maxLength: 5 })
  .map((defs) => {
    const raw: Record<string, Record<string, unknown>> = {}
    defs.forEach(([def, conditional, pick], i) => {
      const parents = Object.entries(raw).filter(
        ([, d]) => d.type === 'categorical' || d.type === 'bool',
      )
      const p: Record<string, unknown> = { ...def }
      if (conditional && parents.length > 0) {
        const [parent, pd] = parents[pick % parents.length]
        const choices = pd.type === 'bool' ? [true, false] : (pd.choices as unknown[])
        p.when = { [parent]: choices[pick % choices.length] }
      }
      raw[`p${i}`] = p
    })
    const parsed = parseSearchSpace(raw)
    if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('\n'))
    return parsed.value
  })

async function allValid(kind: Record<string, unknown>, space: SearchSpace, seed: number) {
  const tuner = createTuner(tunerSpecSchema.parse(kind), { space, direction: 'maximize', seed })
  const finished: FinishedTrial[] = []
  for (let i = 0; i < 14; i++) {
    const { params, tunerData } = await tuner.ask({ finished, pending: [] })
    const errors = validateConfig(space, params)
    if (errors.length) return errors
    const value = conformanceLoss(space, params)
    const trial: FinishedTrial = {
      number: i,
      state: i % 5 === 4 ? 'failed' : 'complete',
      params,
      value: i % 5 === 4 ? null : value,
      loss: i % 5 === 4 ? null : -value,
      intermediate: [],
      tunerData: tunerData ?? null,
    }
    finished.push(trial)
    await tuner.tell(trial, { finished, pending: [] })
  }
  return []
}

describe('every sampler proposes valid configurations on random spaces', () => {
  const kinds: Record<string, unknown>[] = [
    { kind: 'random' },
    { kind: 'grid', pointsPerFloat: 3 },
    { kind: 'qmc' },
    { kind: 'tpe', nStartupTrials: 4 },
    { kind: 'tpe', nStartupTrials: 4, multivariate: false },
    { kind: 'gp', nStartupTrials: 4, nCandidates: 64 },
    { kind: 'cmaes', popsize: 4 },
  ]
  it.each(kinds.map((k) => [JSON.stringify(k), k]))('%s', async (_label, kind) => {
    await fc.assert(
      fc.asyncProperty(spaceArb, fc.nat(1000), async (space, seed) => {
        expect(await allValid(kind, space, seed)).toEqual([])
      }),
      { numRuns: 25, seed: 20240611 },
    )
  })
})
