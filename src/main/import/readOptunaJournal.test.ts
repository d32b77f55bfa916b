import { describe, expect, it } from 'vitest'
import { OptunaImportError } from './optunaStudy.ts'
import { parsePythonJson, readOptunaJournal } from './readOptunaJournal.ts'

const float = JSON.stringify({
  name: 'FloatDistribution',
  attributes: { low: 0, high: 1, log: false, step: null },
})
const lines = (...ops: object[]): string => ops.map((o) => JSON.stringify(o)).join('\n') + '\n'

describe('parsePythonJson', () => {
  it("reads Python's bare NaN and Infinity, but not inside strings", () => {
    expect(
      parsePythonJson('{"a": NaN, "b": -Infinity, "c": [Infinity], "s": "NaN Infinity"}'),
    ).toEqual({
      a: NaN,
      b: -Infinity,
      c: [Infinity],
      s: 'NaN Infinity',
    })
  })
})

describe('readOptunaJournal', () => {
  it('replays studies and trials, skipping changes Optuna would have refused', () => {
    const text =
      lines(
        { op_code: 0, worker_id: 'w', study_name: 's', directions: [2] },
        { op_code: 0, worker_id: 'w', study_name: 'gone', directions: [1] },
        { op_code: 1, worker_id: 'w', study_id: 1 },
        { op_code: 2, worker_id: 'w', study_id: 0, user_attr: { owner: 'me' } },
        { op_code: 4, worker_id: 'w', study_id: 0, datetime_start: '2024-05-01T12:00:00.123456' },
        {
          op_code: 5,
          worker_id: 'w',
          trial_id: 0,
          param_name: 'x',
          param_value_internal: 0.25,
          distribution: float,
        },
        { op_code: 8, worker_id: 'w', trial_id: 0, user_attr: { k: [1, 2] } },
        {
          op_code: 6,
          worker_id: 'w',
          trial_id: 0,
          state: 1,
          values: [3.5],
          datetime_complete: '2024-05-01T12:00:01',
        },
        { op_code: 7, worker_id: 'w', trial_id: 0, step: 1, intermediate_value: 9 }, // finished: ignored
      ) + '{"op_code": 7, "worker_id": "w", "trial_id": 0, "st' // torn last line
    const f = readOptunaJournal('j.log', text)
    expect(f.studies.map((s) => s.name)).toEqual(['s'])
    const s = f.studies[0]
    expect(s.directions).toEqual(['maximize'])
    expect(s.userAttrs).toEqual({ owner: 'me' })
    expect(s.trials).toHaveLength(1)
    expect(s.trials[0]).toMatchObject({
      number: 0,
      state: 'COMPLETE',
      params: { x: 0.25 },
      values: [3.5],
      intermediate: [],
      userAttrs: { k: [1, 2] },
      datetimeStart: new Date('2024-05-01T12:00:00.123').toISOString(),
    })
  })

  it('names the line that is not an operation', () => {
    expect(() => readOptunaJournal('j.log', '{"op_code": 0}\nhello\n{}\n')).toThrow(
      OptunaImportError,
    )
    expect(() => readOptunaJournal('j.log', '{"a": 1}\n{"op_code": 0}\n')).toThrow(
      'j.log line 1 is not an Optuna journal operation (no "op_code")',
    )
  })
})
