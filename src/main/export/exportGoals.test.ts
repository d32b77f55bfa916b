// Exports of studies with several objectives or constraints: the Pareto front as the best trials,
// top K by Pareto rank, infeasible trials never ranked, a column per objective and constraint.
import { parse as parseCsv } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { studyRecordFrom, trialRecord } from '../../../test/helpers/studyRecord.ts'
import type { StudyRecord } from '../../shared/study.ts'
import type { TrialRecord } from '../../shared/trial.ts'
import { buildExportDocument, exportTrials, rankTrials } from './exportTrials.ts'

function study(extra: Record<string, unknown>): StudyRecord {
  return studyRecordFrom({
    name: 'mo',
    objective: { kind: 'command', run: ['train'] },
    space: { x: { type: 'float', low: 0, high: 1 } },
    tuner: { kind: 'nsga2' },
    seed: 1,
    ...extra,
  })
}

const trial = (number: number, extra: Partial<TrialRecord>): TrialRecord =>
  trialRecord({ number, params: { x: number / 10 }, ...extra })

describe('exports with several objectives', () => {
  const mo = study({
    objectives: [
      { name: 'acc', direction: 'maximize' },
      { name: 'secs', direction: 'minimize' },
    ],
    constraints: [{ name: 'mb', max: 10 }],
  })
  const trials = [
    trial(0, { value: 0.9, values: [0.9, 5], constraints: { mb: 3 }, feasible: true }),
    trial(1, { value: 0.8, values: [0.8, 1], constraints: { mb: 3 }, feasible: true }),
    trial(2, { value: 0.7, values: [0.7, 6], constraints: { mb: 3 }, feasible: true }),
    trial(3, { value: 0.99, values: [0.99, 0.5], constraints: { mb: 30 }, feasible: false }),
    trial(4, { state: 'failed', error: 'x' }),
  ]

  it('lists the Pareto front as the best trials, never an infeasible one', () => {
    const doc = buildExportDocument(mo, trials)
    expect(doc.bestTrial).toBeNull()
    expect(doc.bestTrials?.map((t) => t.number)).toEqual([0, 1])
    expect(doc.objectives?.map((o) => o.name)).toEqual(['acc', 'secs'])
    expect(doc.trials[3]).toMatchObject({ values: [0.99, 0.5], feasible: false })
  })

  it('ranks the top K by Pareto rank', () => {
    expect(buildExportDocument(mo, trials, 3).trials.map((t) => t.number)).toEqual([0, 1, 2])
  })

  it('writes a column per objective and constraint, and feasibility', () => {
    const rows = parseCsv(exportTrials(mo, trials, { format: 'csv' }), {
      columns: true,
    }) as Record<string, string>[]
    expect(Object.keys(rows[0]).slice(0, 7)).toEqual([
      'number',
      'state',
      'value',
      'values.acc',
      'values.secs',
      'constraints.mb',
      'feasible',
    ])
    expect(rows[3]).toMatchObject({
      'values.acc': '0.99',
      'constraints.mb': '30',
      feasible: 'false',
    })
    expect(rows[4]).toMatchObject({ 'values.acc': '', feasible: '' })
  })

  it('never ranks an infeasible trial first in a single-objective study with constraints', () => {
    const one = study({
      direction: 'maximize',
      metric: 'acc',
      constraints: [{ name: 'mb', max: 10 }],
      tuner: { kind: 'tpe' },
    })
    const single = trials.slice(0, 4).map((t) => ({ ...t, values: undefined }))
    expect(rankTrials('maximize', single).map((t) => t.number)).toEqual([0, 1, 2])
    expect(buildExportDocument(one, single).bestTrial?.number).toBe(0)
  })
})
