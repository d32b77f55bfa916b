import { describe, expect, it } from 'vitest'
import { studyGoals } from './studyGoals.ts'
import { parseStudySpec, studySpecToRaw } from './studySpec.ts'

const gbdt = {
  name: 'g',
  objective: { kind: 'gbdt', dataset: 'd.csv' },
  space: { max_depth: { type: 'int', low: 1, high: 5 } },
  tuner: { kind: 'nsga2' },
}
const twoObjectives = [
  { name: 'accuracy', direction: 'maximize' },
  { name: 'train_seconds', direction: 'minimize' },
]
const errors = (raw: unknown) => {
  const r = parseStudySpec(raw)
  return r.ok ? [] : r.errors
}

describe('a study file’s objectives and constraints', () => {
  it('takes several objectives; direction and metric are the first one’s', () => {
    const r = parseStudySpec({ ...gbdt, objectives: twoObjectives })
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.value.direction).toBe('maximize')
    expect(r.value.metric).toBe('accuracy')
    expect(r.value.objectives).toEqual(twoObjectives)
    expect(r.value.constraints).toBeUndefined()
    expect(studyGoals(r.value).objectives).toHaveLength(2)
    // the file form round-trips without direction and metric
    const raw = studySpecToRaw(r.value)
    expect(raw.direction).toBeUndefined()
    const again = parseStudySpec(raw)
    expect(again.ok && again.value).toEqual(r.value)
  })

  it('keeps a single-objective file exactly as before (no objectives, no constraints key)', () => {
    const r = parseStudySpec({ ...gbdt, tuner: { kind: 'tpe' }, direction: 'maximize' })
    expect(r.ok && Object.keys(r.value)).not.toContain('objectives')
    expect(r.ok && Object.keys(r.value)).not.toContain('constraints')
    const one = parseStudySpec({ ...gbdt, objectives: [twoObjectives[0]] })
    expect(one.ok && one.value.objectives).toBeUndefined()
    expect(one.ok && one.value.metric).toBe('accuracy')
  })

  it('takes constraints with one objective too, and says which rule a constraint breaks', () => {
    const r = parseStudySpec({
      ...gbdt,
      tuner: { kind: 'tpe' },
      direction: 'maximize',
      constraints: [{ name: 'model_bytes', max: 50e6 }],
    })
    expect(r.ok && r.value.constraints).toEqual([{ name: 'model_bytes', max: 50e6 }])
    const bad = errors({
      ...gbdt,
      objectives: twoObjectives,
      constraints: [
        { name: 'model_bytes' },
        { name: 'train_seconds', min: 5, max: 1 },
        { name: 'train_seconds', max: 9 },
      ],
    })
    expect(bad.map((e) => e.rule)).toEqual(['min-or-max', 'min-le-max', 'duplicate-name'])
    expect(bad[0].path).toBe('constraints[0]')
  })

  it('names what a built-in objective reports', () => {
    expect(
      errors({
        ...gbdt,
        objectives: [twoObjectives[0], { name: 'latency', direction: 'minimize' }],
      })[0],
    ).toMatchObject({ path: 'objectives[1].name', rule: 'enum' })
    expect(
      errors({
        ...gbdt,
        objectives: [twoObjectives[0], { name: 'logloss', direction: 'minimize' }],
      })[0].message,
    ).toContain('listed first')
    expect(errors({ ...gbdt, objectives: [twoObjectives[1], twoObjectives[0]] })[0]).toMatchObject({
      path: 'objectives[0].name',
    })
    expect(
      errors({
        ...gbdt,
        objectives: [twoObjectives[0], { name: 'train_seconds', direction: 'maximize' }],
      })[0],
    ).toMatchObject({ path: 'objectives[1].direction', rule: 'metric-direction' })
    expect(
      errors({ ...gbdt, objectives: twoObjectives, constraints: [{ name: 'auc', min: 0.9 }] })[0],
    ).toMatchObject({ path: 'constraints[0].name', rule: 'enum' })
  })

  it('gives synthetic functions with several objectives their own names; commands report any', () => {
    const zdt = {
      name: 'z',
      objective: { kind: 'synthetic', function: 'zdt1' },
      tuner: { kind: 'tpe' },
    }
    const f = (name: string) => ({ name, direction: 'minimize' })
    expect(errors({ ...zdt, objectives: [f('f1'), f('f2')] })).toEqual([])
    expect(errors({ ...zdt, objectives: [f('f1'), f('f3')] })[0].path).toBe('objectives[1].name')
    const bk = { ...zdt, objective: { kind: 'synthetic', function: 'binh_korn' } }
    expect(
      errors({ ...bk, objectives: [f('f1'), f('f2')], constraints: [{ name: 'c1', max: 25 }] }),
    ).toEqual([])
    expect(
      errors({
        ...zdt,
        objective: { kind: 'synthetic', function: 'branin' },
        objectives: [f('value'), f('f2')],
      })[0].message,
    ).toContain('zdt1')
    const cmd = {
      name: 'c',
      objective: { kind: 'command', run: ['x'] },
      space: { a: { type: 'float', low: 0, high: 1 } },
      tuner: { kind: 'nsga2' },
    }
    expect(errors({ ...cmd, objectives: [f('loss'), f('latency_ms')] })).toEqual([])
  })

  it('refuses a tuner of one objective, one that ignores constraints, and both forms at once', () => {
    expect(
      errors({ ...gbdt, tuner: { kind: 'cmaes' }, objectives: twoObjectives })[0],
    ).toMatchObject({ path: 'tuner.kind', rule: 'multi-objective' })
    expect(
      errors({
        ...gbdt,
        tuner: { kind: 'gp' },
        direction: 'maximize',
        constraints: [{ name: 'model_bytes', max: 1 }],
      })[0],
    ).toMatchObject({ path: 'tuner.kind', rule: 'constraints' })
    expect(errors({ ...gbdt, direction: 'maximize', objectives: twoObjectives })[0]).toMatchObject({
      path: 'direction',
      rule: 'objectives-or-direction',
    })
    expect(errors({ ...gbdt, objectives: [] })[0].path).toBe('objectives')
    expect(errors({ ...gbdt })[0]).toMatchObject({ path: 'direction', rule: 'required' })
  })

  it('prunes a multi-objective study on its first objective, named', () => {
    expect(
      errors({ ...gbdt, objectives: twoObjectives, pruner: { kind: 'median' } })[0],
    ).toMatchObject({
      path: 'pruner.objective',
      rule: 'required',
    })
    expect(
      errors({
        ...gbdt,
        objectives: twoObjectives,
        pruner: { kind: 'median', objective: 'train_seconds' },
      })[0],
    ).toMatchObject({ path: 'pruner.objective', rule: 'first-objective' })
    expect(
      errors({
        ...gbdt,
        objectives: twoObjectives,
        pruner: { kind: 'median', objective: 'accuracy' },
      }),
    ).toEqual([])
  })
})
