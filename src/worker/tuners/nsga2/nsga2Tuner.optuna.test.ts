// Our `nsga2` against the trials Optuna 3.1's NSGAIISampler(seed) proposed for the same problems
// (test/fixtures/optuna31/multiobjective.json, written by generate_mo.py there): same generators,
// same generations, same elite, same draws; constraints through constrained domination.
import { describe, expect, it } from 'vitest'
import { moFixture, replayFixtureRun } from '../../../../test/helpers/optunaMoProblems.ts'
import { createNsga2Tuner } from './nsga2Tuner.ts'

describe('nsga2 reproduces Optuna 3.1’s NSGAIISampler trial for trial', () => {
  const runs = moFixture.runs.filter((r) => r.sampler === 'nsga2')
  it('the fixture comes from Optuna 3.1', () => {
    expect(moFixture.optuna).toMatch(/^3\.1\./)
    expect(runs.length).toBeGreaterThanOrEqual(5)
  })

  for (const run of runs) {
    it(`${run.problem}, seed ${run.seed}, ${JSON.stringify(run.options)}: ${run.trials.length} trials`, async () => {
      const options = { kind: 'nsga2', ...run.options }
      expect(await replayFixtureRun(run, createNsga2Tuner, options)).toBeNull()
    })
  }
})
