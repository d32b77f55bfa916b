// Several objectives and constraints in every StudyStore: values, constrained values and feasibility
// kept with complete trials, cleared by a re-run, absent from single-objective trials. Registered by
// storeConformance().
import { describe, expect, it } from 'vitest'
import { braninSpec, type OpenTestStore } from './storeTestHelpers.ts'

export function storeGoalsConformance(fresh: OpenTestStore): void {
  describe('several objectives and constraints', () => {
    it('keeps every objective’s value, the constrained values and feasibility of a complete trial', () => {
      const s = fresh()
      const { id } = s.createStudy(braninSpec())
      const t = s.createTrial(id, { state: 'running', params: { x1: 1, x2: 2 } })
      s.finishTrial(t.id, {
        state: 'complete',
        value: 0.9,
        values: [0.9, 12.5],
        constraints: { model_mb: 51 },
        feasible: false,
      })
      expect(s.getTrial(id, 0)).toMatchObject({
        value: 0.9,
        values: [0.9, 12.5],
        constraints: { model_mb: 51 },
        feasible: false,
      })
      expect(s.listTrials(id)[0].values).toEqual([0.9, 12.5])
      expect(s.queryTrials(id, {}).trials[0].feasible).toBe(false)
    })

    it('never makes an infeasible trial the best', () => {
      const s = fresh()
      const { id } = s.createStudy(braninSpec())
      for (const [value, feasible] of [
        [1, false],
        [2, true],
        [3, null],
      ] as const) {
        const t = s.createTrial(id, { state: 'running', params: {} })
        s.finishTrial(t.id, { state: 'complete', value, constraints: { c: value }, feasible })
      }
      expect(s.listStudies()[0]).toMatchObject({ bestValue: 2, bestTrialNumber: 1 })
    })

    it('gives single-objective, failed and pruned trials none of these fields', () => {
      const s = fresh()
      const { id } = s.createStudy(braninSpec())
      const a = s.createTrial(id, { state: 'running', params: {} })
      s.finishTrial(a.id, { state: 'complete', value: 1 })
      const b = s.createTrial(id, { state: 'running', params: {} })
      s.finishTrial(b.id, { state: 'failed', value: null, values: [1, 2], error: 'x' })
      for (const trial of s.listTrials(id)) {
        expect(trial).not.toHaveProperty('values')
        expect(trial).not.toHaveProperty('constraints')
        expect(trial).not.toHaveProperty('feasible')
      }
    })

    it('clears them when an interrupted trial runs again, and imports them', () => {
      const s = fresh()
      const { id } = s.createStudy(braninSpec())
      const t = s.createTrial(id, { state: 'running', params: {} })
      s.finishTrial(t.id, { state: 'complete', value: 1, values: [1, 2], feasible: true })
      const u = s.createTrial(id, { state: 'running', params: {} })
      s.interruptTrial(u.id, 'stopped')
      s.startTrial(u.id)
      expect(s.getTrial(id, 1)).not.toHaveProperty('values')
      const [imported] = s.importTrials(id, [
        { params: {}, value: 3, values: [3, 4], constraints: { c: 1 }, feasible: true },
      ])
      expect(imported).toMatchObject({ values: [3, 4], constraints: { c: 1 }, feasible: true })
      expect(s.getTrial(id, imported.number)).toEqual(imported)
    })
  })
}
