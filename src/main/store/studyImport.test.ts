import { describe, expect, it } from 'vitest'
import { parseStudySpec } from '../../shared/studySpec.ts'
import { openStudyStore } from './openStudyStore.ts'
import type { ImportedTrial } from './studyStore.ts'

const spec = () => {
  const r = parseStudySpec({
    name: 'imported',
    direction: 'minimize',
    objective: { kind: 'external' },
    space: { x: { type: 'float', low: 0, high: 1 } },
  })
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  return { ...r.value, seed: 1 }
}
const trial = (number: number, extra: Partial<ImportedTrial> = {}): ImportedTrial => ({
  number,
  state: 'complete',
  params: { x: number / 10 },
  value: number,
  error: null,
  startedAt: '2024-01-01T00:00:00.000Z',
  finishedAt: '2024-01-01T00:00:01.000Z',
  userAttrs: { n: number },
  intermediate: [{ step: 0, value: number + 1 }],
  ...extra,
})

describe('importStudy', () => {
  it('writes the study and its trials with their own numbers, states and times', () => {
    const store = openStudyStore(':memory:')
    const s = store.importStudy(spec(), [
      trial(0),
      trial(2, { state: 'pruned', value: 7 }),
      trial(3, { state: 'queued', value: null, startedAt: null, finishedAt: null }),
    ])
    const trials = store.listTrials(s.id)
    expect(trials.map((t) => [t.number, t.state, t.value])).toEqual([
      [0, 'complete', 0],
      [2, 'pruned', 7],
      [3, 'queued', null],
    ])
    expect(trials[0]).toMatchObject({ startedAt: '2024-01-01T00:00:00.000Z', userAttrs: { n: 0 } })
    expect(store.getIntermediateValues(s.id).get(trials[1].id)).toEqual([{ step: 0, value: 3 }])
    expect(store.listUntoldFinished(s.id).map((t) => t.number)).toEqual([0, 2])
    // The next trial numbers after the last imported one.
    expect(store.createTrial(s.id, { state: 'queued', params: { x: 0 } }).number).toBe(4)
    store.close()
  })

  it('writes nothing when one trial cannot be written', () => {
    const store = openStudyStore(':memory:')
    expect(() => store.importStudy(spec(), [trial(0), trial(1), trial(1)])).toThrow(
      'trial number 1 is imported twice',
    )
    expect(store.listStudies()).toEqual([])
    store.close()
  })
})
