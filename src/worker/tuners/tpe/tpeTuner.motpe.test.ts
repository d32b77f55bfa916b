// Our `tpe` on several objectives and with constraints against the trials Optuna 3.1's TPESampler
// proposed for a multi-objective study (MOTPE) and with a constraints_func
// (test/fixtures/optuna31/multiobjective.json, written by generate_mo.py there).
import { describe, expect, it } from 'vitest'
import { moFixture, replayFixtureRun } from '../../../../test/helpers/optunaMoProblems.ts'
import { createTpeTuner } from './tpeTuner.ts'

describe('tpe reproduces Optuna 3.1’s multi-objective TPESampler trial for trial', () => {
  const runs = moFixture.runs.filter((r) => r.sampler === 'motpe')
  it('the fixture has MOTPE runs, constrained ones, one with three objectives, one single-objective', () => {
    expect(runs.map((r) => r.problem)).toEqual(
      expect.arrayContaining(['zdt1', 'binh_korn', 'numeric3', 'circle']),
    )
  })

  for (const run of runs) {
    it(`${run.problem}, seed ${run.seed}: ${run.trials.length} trials`, async () => {
      const options = { kind: 'tpe', multivariate: false, constantLiar: false, ...run.options }
      expect(await replayFixtureRun(run, createTpeTuner, options)).toBeNull()
    })
  }
})
