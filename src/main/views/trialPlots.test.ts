// The plot data of a study over a real SQLite store: the Pareto front and hypervolume of a study with
// several objectives and constraints, regret against a synthetic function's known optimum.
import { describe, expect, it } from 'vitest'
import { multiObjectiveFunction } from '../../shared/multiObjectiveFunctions.ts'
import { createRng } from '../../shared/rng.ts'
import { sampleConfig } from '../../shared/spaceCodec.ts'
import { parseStudySpec } from '../../shared/studySpec.ts'
import { openStudyStore } from '../store/openStudyStore.ts'
import { trialPlots } from './trialPlots.ts'

function spec(raw: Record<string, unknown>) {
  const parsed = parseStudySpec({ seed: 1, ...raw })
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('; '))
  return { ...parsed.value, seed: 1 }
}

describe('trial plots', () => {
  it('Binh–Korn: the front is feasible and non-dominated, hypervolume grows, regret shrinks', () => {
    const store = openStudyStore(':memory:')
    const study = store.createStudy(
      spec({
        name: 'bk',
        objectives: [
          { name: 'f1', direction: 'minimize' },
          { name: 'f2', direction: 'minimize' },
        ],
        constraints: [
          { name: 'c1', max: 25 },
          { name: 'c2', min: 7.7 },
        ],
        objective: { kind: 'synthetic', function: 'binh_korn' },
        tuner: { kind: 'nsga2' },
      }),
    )
    const fn = multiObjectiveFunction('binh_korn')
    const rng = createRng(5)
    for (let i = 0; i < 40; i++) {
      const params = sampleConfig({ params: fn.params }, rng)
      const t = store.createTrial(study.id, { state: 'running', params })
      const { values, constraints } = fn.evaluate(params)
      const feasible = constraints.c1 <= 25 && constraints.c2 >= 7.7
      store.finishTrial(t.id, {
        state: 'complete',
        value: values[0],
        values,
        constraints,
        feasible,
      })
    }
    const failed = store.createTrial(study.id, { state: 'running', params: { x: 1, y: 1 } })
    store.finishTrial(failed.id, { state: 'failed', value: null, error: 'x' })
    const view = trialPlots(store, study.id)
    expect(view.objectives.map((o) => o.name)).toEqual(['f1', 'f2'])
    expect(view.trials).toHaveLength(41)
    const byNumber = new Map(view.trials.map((t) => [t.number, t]))
    for (const n of view.front!) {
      const a = byNumber.get(n)!
      expect(a.feasible).toBe(true)
      for (const b of view.trials)
        if (b.feasible && b.values)
          expect(b.values[0] <= a.values![0] && b.values[1] < a.values![1]).toBe(false)
    }
    const hv = view.hypervolume!.hypervolume
    for (let i = 1; i < hv.length; i++) expect(hv[i]).toBeGreaterThanOrEqual(hv[i - 1])
    const regret = view.regret!.regret
    expect(regret[0]).toBeGreaterThan(regret[regret.length - 1])
    expect(view.regret!.against).toContain("true front's hypervolume")
    store.close()
  })

  it('a single-objective study: no front, regret against f*', () => {
    const store = openStudyStore(':memory:')
    const study = store.createStudy(
      spec({
        name: 'b',
        direction: 'minimize',
        objective: { kind: 'synthetic', function: 'branin' },
      }),
    )
    for (const [x1, x2] of [
      [0, 0],
      [3.14159, 2.275],
    ]) {
      const t = store.createTrial(study.id, { state: 'running', params: { x1, x2 } })
      const v = x1 === 0 ? 55.6 : 0.3979
      store.finishTrial(t.id, { state: 'complete', value: v })
    }
    const view = trialPlots(store, study.id)
    expect(view.front).toBeNull()
    expect(view.hypervolume).toBeNull()
    expect(view.regret!.against).toBe('f* = 0.397887')
    expect(view.regret!.regret[1]).toBeCloseTo(0.3979 - 0.397887, 5)
    expect(view.trials[0]).not.toHaveProperty('values')
    store.close()
  })
})
