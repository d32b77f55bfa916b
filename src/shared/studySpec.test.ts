import { describe, expect, it } from 'vitest'
import { MAX_SEED, parseStudySpec, studySpecToRaw, withStudySeed } from './studySpec.ts'

const base = {
  name: 'letter-xgb',
  direction: 'minimize',
  objective: { kind: 'synthetic', function: 'branin' },
}
const errors = (raw: unknown) => {
  const r = parseStudySpec(raw)
  return r.ok ? [] : r.errors
}

describe('parseStudySpec', () => {
  it('applies the defaults of study-file.md', () => {
    const r = parseStudySpec(base)
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.value.metric).toBe('value')
    expect(r.value.tuner).toEqual({ kind: 'random' })
    expect(r.value.pruner).toEqual({ kind: 'none' })
    expect(r.value.budget).toEqual({ trials: 100 })
    expect(r.value.concurrency).toBe(1)
    expect(r.value.seed).toBeUndefined()
    expect(r.value.space.params.map((p) => p.name)).toEqual(['x1', 'x2'])
  })

  it('gives a synthetic function its own space and lets a study add ignored parameters', () => {
    const r = parseStudySpec({
      ...base,
      objective: { kind: 'synthetic', function: 'levy' },
      space: { z: { type: 'float', low: 0, high: 1 } },
    })
    expect(r.ok && r.value.space.params.map((p) => p.name)).toEqual([
      'x0',
      'x1',
      'x2',
      'x3',
      'x4',
      'x5',
      'x6',
      'x7',
      'z',
    ])
  })

  it('rejects unknown keys anywhere', () => {
    expect(errors({ ...base, budjet: {} })[0]).toMatchObject({
      path: 'budjet',
      rule: 'unknown-key',
    })
    expect(errors({ ...base, tuner: { kind: 'mbrl', dleta: 0.2 } })[0]).toMatchObject({
      path: 'tuner.dleta',
      rule: 'unknown-key',
    })
    expect(
      errors({ ...base, objective: { kind: 'synthetic', function: 'branin', extra: 1 } })[0],
    ).toMatchObject({ path: 'objective.extra' })
  })

  it('names the kinds when a kind is unknown', () => {
    const [e] = errors({ ...base, tuner: { kind: 'bayes' } })
    expect(e.path).toBe('tuner.kind')
    expect(e.message).toContain(
      'random, grid, qmc, tpe, gp, cmaes, mbrl, rl, rl-onestep, hyperband, bohb',
    )
  })

  it('requires name, direction, objective and a space for non-synthetic objectives', () => {
    const paths = errors({ objective: { kind: 'command', run: ['x'] } }).map((e) => e.path)
    expect(paths).toEqual(expect.arrayContaining(['name', 'direction', 'space']))
  })

  it('checks the metric against the objective and the direction', () => {
    const gbdt = {
      name: 'g',
      objective: { kind: 'gbdt', dataset: 'd.csv' },
      space: { max_depth: { type: 'int', low: 1, high: 5 } },
    }
    expect(errors({ ...gbdt, direction: 'minimize' })[0]).toMatchObject({
      path: 'direction',
      rule: 'metric-direction',
    })
    expect(errors({ ...gbdt, direction: 'minimize', metric: 'f1' })[0]).toMatchObject({
      path: 'metric',
      rule: 'enum',
    })
    expect(errors({ ...gbdt, direction: 'minimize', metric: 'logloss' })).toEqual([])
  })

  it('gives hyperband and bohb tuners the hyperband pruner and refuses another', () => {
    const r = parseStudySpec({ ...base, tuner: { kind: 'bohb' } })
    expect(r.ok && r.value.pruner.kind).toBe('hyperband')
    expect(
      errors({ ...base, tuner: { kind: 'hyperband' }, pruner: { kind: 'median' } })[0],
    ).toMatchObject({ path: 'pruner.kind', rule: 'tuner-pruner' })
  })

  it('reports space errors with their paths', () => {
    const [e] = errors({
      ...base,
      objective: { kind: 'command', run: ['x'] },
      space: { lr: { type: 'float', low: 0, high: 1, log: true } },
    })
    expect(e.message).toBe('space.lr: low must be > 0 when log is true, got low=0')
  })

  it('fills tuner options with their defaults; the RL tuners’ variant-dependent ones are left to the variant', () => {
    const r = parseStudySpec({ ...base, tuner: { kind: 'mbrl', delta: 0.3 } })
    expect(r.ok && r.value.tuner).toMatchObject({
      kind: 'mbrl',
      variant: 'default',
      delta: 0.3,
      ppoEpochs: 4,
    })
    expect(r.ok && r.value.tuner).not.toHaveProperty('planning')
    const tpe = parseStudySpec({ ...base, tuner: { kind: 'tpe' } })
    expect(tpe.ok && tpe.value.tuner).toMatchObject({ multivariate: true, constantLiar: true })
  })

  it('tabular: the space comes from the table when a reader is given; without one the file must list it', () => {
    const table = {
      file: 't.csv',
      name: 't.csv',
      direction: null,
      space: {
        params: [{ name: 'a', type: 'categorical' as const, choices: [1, 2], ordered: true }],
      },
      values: Float64Array.of(0.1, 0.2),
    }
    const raw = { name: 't', direction: 'minimize', objective: { kind: 'tabular', table: 't.csv' } }
    const withReader = parseStudySpec(raw, { readTable: () => ({ ok: true, value: table }) })
    expect(withReader.ok && withReader.value.space).toEqual(table.space)
    expect(withReader.ok && withReader.value.metric).toBe('value')
    const [e] = errors(raw)
    expect(e).toMatchObject({ path: 'space', rule: 'required' })
  })
})

describe('the executor section', () => {
  it('is local when absent or local, and keeps a slurm executor with its defaults', () => {
    const local = parseStudySpec({ ...base, executor: { kind: 'local' } })
    expect(local.ok && local.value.executor).toBeUndefined()
    const r = parseStudySpec({
      ...base,
      executor: { kind: 'slurm', partition: 'gpu', time: 30, memory: '4G', extra: ['--qos=low'] },
    })
    expect(r.ok && r.value.executor).toEqual({
      kind: 'slurm',
      partition: 'gpu',
      time: '30',
      memory: '4G',
      cpusPerTrial: 1,
      gpusPerTrial: 0,
      extra: ['--qos=low'],
    })
  })

  it('names the field, the rule and the value of a bad option', () => {
    expect(errors({ ...base, executor: { kind: 'slurm', time: '1h' } })[0]).toMatchObject({
      path: 'executor.time',
    })
    expect(errors({ ...base, executor: { kind: 'slurm', extra: ['qos=low'] } })[0]).toMatchObject({
      path: 'executor.extra[0]',
    })
    expect(errors({ ...base, executor: { kind: 'slurm', cpus: 2 } })[0]).toMatchObject({
      path: 'executor.cpus',
      rule: 'unknown-key',
    })
    expect(errors({ ...base, executor: { kind: 'k8s' } })[0].message).toContain('local, slurm')
  })
})

describe('inputs bounded at validation', () => {
  const command = (extra: Record<string, unknown>) => ({
    name: 'c',
    direction: 'minimize',
    objective: { kind: 'command', run: ['true'], ...extra },
    space: { x: { type: 'float', low: 0, high: 1 } },
  })

  it('refuses time limits setTimeout cannot hold (24.8 days and more)', () => {
    expect(errors({ ...base, trialTimeoutSeconds: 2_147_484 }).map((e) => e.path)).toEqual([
      'trialTimeoutSeconds',
    ])
    expect(errors(command({ timeoutSeconds: 1e300 })).map((e) => e.message)).toEqual([
      'objective.timeoutSeconds: must be <= 2147483, got 1e+300',
    ])
    expect(errors({ ...base, trialTimeoutSeconds: 2_147_483 })).toEqual([])
  })

  it('bounds the grid and the command line', () => {
    expect(
      errors({ ...base, tuner: { kind: 'grid', pointsPerFloat: 1e9 } }).map((e) => e.path),
    ).toEqual(['tuner.pointsPerFloat'])
    const big = errors(command({ run: ['echo', 'a'.repeat(1_000_000)] }))
    expect(big.map((e) => e.path)).toEqual(['objective.run[1]'])
    expect(big[0].message).toMatch(/at most 131072 bytes/)
    expect(big[0].message.length).toBeLessThan(300)
  })
})

describe('withStudySeed', () => {
  const spec = () => {
    const r = parseStudySpec(base)
    if (!r.ok) throw new Error('spec')
    return r.value
  }

  it('draws a seed over the whole range the study file accepts, ends included', () => {
    expect(withStudySeed(spec(), () => 0).seed).toBe(0)
    const top = withStudySeed(spec(), () => 1 - Number.EPSILON).seed
    expect(top).toBe(MAX_SEED)
    for (const seed of [0, top, withStudySeed(spec()).seed]) {
      expect(Number.isInteger(seed)).toBe(true)
      expect(parseStudySpec({ ...studySpecToRaw(spec()), seed }).ok).toBe(true)
    }
    expect(parseStudySpec({ ...studySpecToRaw(spec()), seed: MAX_SEED + 1 }).ok).toBe(false)
  })

  it('keeps the seed the file gave', () => {
    expect(withStudySeed({ ...spec(), seed: 7 }, () => 0.5).seed).toBe(7)
  })
})
