import { parse as parseCsv } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { studyRecordFrom, trialRecord } from '../../../test/helpers/studyRecord.ts'
import { parseStudySpec } from '../../shared/studySpec.ts'
import { parse as parseYaml } from 'yaml'
import type { StudyRecord } from '../../shared/study.ts'
import type { TrialRecord, TrialState } from '../../shared/trial.ts'
import {
  buildExportDocument,
  buildStudyFileExport,
  csvField,
  exportTrials,
  rankTrials,
} from './exportTrials.ts'

function study(direction: 'minimize' | 'maximize', space?: Record<string, unknown>): StudyRecord {
  return studyRecordFrom({
    name: 'exp-1',
    direction,
    objective: { kind: 'command', run: ['python3', 'train.py'] },
    metric: 'score',
    space: space ?? {
      booster: { type: 'categorical', choices: ['gbtree', 'dart'] },
      rate_drop: { type: 'float', low: 0, high: 0.5, when: { booster: 'dart' } },
      lr: { type: 'float', low: 1e-5, high: 1, log: true },
      note: { type: 'categorical', choices: ['a,b', 'say "hi"', 'two\nlines', 'true'] },
    },
    seed: 7,
  })
}

function trial(
  number: number,
  state: TrialState,
  value: number | null,
  params: TrialRecord['params'],
  extra: Partial<TrialRecord> = {},
): TrialRecord {
  return trialRecord({
    id: 100 + number,
    number,
    state,
    params,
    value,
    startedAt: '2025-01-01T00:00:00.000Z',
    finishedAt: state === 'running' ? null : `2025-01-01T00:00:0${number % 10}.250Z`,
    backend: 'command',
    ...extra,
  })
}

const trials: TrialRecord[] = [
  trial(0, 'complete', 0.5, { booster: 'gbtree', lr: 0.01, note: 'a,b' }),
  trial(
    1,
    'complete',
    0.9,
    { booster: 'dart', rate_drop: 0.25, lr: 1e-5, note: 'say "hi"' },
    {
      userAttrs: { loss: 0.31, tags: ['x', 'y'] },
    },
  ),
  // better than any complete trial in both directions: must never rank
  trial(2, 'pruned', 100, { booster: 'gbtree', lr: 0.5, note: 'true' }),
  trial(3, 'pruned', -100, { booster: 'gbtree', lr: 0.5, note: 'true' }),
  trial(
    4,
    'failed',
    null,
    { booster: 'dart', rate_drop: 0.5, lr: 0.1, note: 'two\nlines' },
    {
      error: 'exit code 1: boom, "bad"',
    },
  ),
  trial(5, 'complete', 0.9, { booster: 'dart', rate_drop: 0.1, lr: 0.2, note: 'a,b' }),
  trial(6, 'complete', 0.1, { booster: 'gbtree', lr: 0.3, note: 'true' }, { testScore: 0.12 }),
  trial(7, 'running', null, { booster: 'gbtree', lr: 0.4, note: 'a,b' }),
]

type Row = Record<string, string>
const csvRows = (text: string): Row[] => parseCsv(text, { columns: true }) as Row[]

describe('rankTrials / top K', () => {
  it('orders complete trials best first for maximize, earlier first on ties', () => {
    expect(rankTrials('maximize', trials).map((t) => t.number)).toEqual([1, 5, 0, 6])
  })
  it('orders complete trials best first for minimize', () => {
    expect(rankTrials('minimize', trials).map((t) => t.number)).toEqual([6, 0, 1, 5])
  })
  it.each(['maximize', 'minimize'] as const)('never ranks pruned or failed trials (%s)', (d) => {
    for (const format of ['json', 'csv'] as const) {
      const text = exportTrials(study(d), trials, { format, top: 10 })
      const numbers =
        format === 'json'
          ? (JSON.parse(text).trials as { number: number }[]).map((t) => t.number)
          : csvRows(text).map((r) => Number(r.number))
      expect(numbers).toHaveLength(4)
      expect(numbers).not.toContain(2)
      expect(numbers).not.toContain(3)
      expect(numbers).not.toContain(4)
      expect(numbers).not.toContain(7)
    }
  })
  it('writes only K rows, best first', () => {
    const rows = csvRows(exportTrials(study('minimize'), trials, { format: 'csv', top: 2 }))
    expect(rows.map((r) => r.number)).toEqual(['6', '0'])
    const doc = JSON.parse(exportTrials(study('maximize'), trials, { format: 'json', top: 2 }))
    expect(doc.top).toBe(2)
    expect(doc.trials.map((t: { number: number }) => t.number)).toEqual([1, 5])
    expect(doc.bestTrial.number).toBe(1)
  })
  it('refuses a top that is not a positive integer', () => {
    expect(() => exportTrials(study('minimize'), trials, { format: 'csv', top: 0 })).toThrow(
      'top must be an integer >= 1, got 0',
    )
    expect(() => exportTrials(study('minimize'), trials, { format: 'json', top: 1.5 })).toThrow(
      RangeError,
    )
  })
})

describe('CSV', () => {
  const text = exportTrials(study('maximize'), trials, { format: 'csv' })
  const rows = csvRows(text)

  it('has every trial in number order with the fixed columns around the parameters', () => {
    expect(Object.keys(rows[0])).toEqual([
      'number',
      'state',
      'value',
      'booster',
      'rate_drop',
      'lr',
      'note',
      'duration_seconds',
      'started_at',
      'finished_at',
      'test_score',
      'error',
      'user_attrs',
    ])
    expect(rows.map((r) => Number(r.number))).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
  })

  it('parses back to the same values, inactive parameters blank', () => {
    rows.forEach((r, i) => {
      const t = trials[i]
      expect(r.state).toBe(t.state)
      expect(r.value).toBe(t.value === null ? '' : String(t.value))
      if (t.value !== null) expect(Number(r.value)).toBe(t.value)
      for (const p of ['booster', 'rate_drop', 'lr', 'note'])
        expect(r[p]).toBe(p in t.params ? String(t.params[p]) : '')
      expect(r.error).toBe(t.error ?? '')
      expect(r.test_score).toBe(t.testScore === null ? '' : String(t.testScore))
    })
    expect(Number(rows[1].lr)).toBe(1e-5)
    expect(rows[0].rate_drop).toBe('')
    expect(rows[4].note).toBe('two\nlines')
    expect(rows[4].error).toBe('exit code 1: boom, "bad"')
    expect(JSON.parse(rows[1].user_attrs)).toEqual({ loss: 0.31, tags: ['x', 'y'] })
    expect(rows[0].user_attrs).toBe('')
    expect(rows[3].duration_seconds).toBe('3.25')
    expect(rows[7].duration_seconds).toBe('')
  })

  it('renames a parameter that shares a name with a fixed column', () => {
    const s = study('minimize', {
      value: { type: 'float', low: 0, high: 1 },
      error: { type: 'int', low: 0, high: 3 },
    })
    const out = csvRows(
      exportTrials(s, [trial(0, 'complete', 2, { value: 0.5, error: 1 })], { format: 'csv' }),
    )
    expect(out[0]).toMatchObject({ value: '2', 'params.value': '0.5', 'params.error': '1' })
  })

  it('quotes only what needs quoting', () => {
    expect(csvField('plain')).toBe('plain')
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField(' edge')).toBe('" edge"')
    expect(csvField(null)).toBe('')
    expect(csvField(false)).toBe('false')
  })
})

describe('JSON and YAML', () => {
  it('carry the study, direction, metric, best trial and the configs', () => {
    const doc = JSON.parse(exportTrials(study('minimize'), trials, { format: 'json' }))
    expect(doc).toMatchObject({
      study: 'exp-1',
      direction: 'minimize',
      metric: 'score',
      objective: 'command',
      seed: 7,
      top: null,
      bestTrial: { number: 6, value: 0.1, params: { booster: 'gbtree', lr: 0.3, note: 'true' } },
    })
    expect(doc.bestTrial.testScore).toBe(0.12)
    expect(doc.trials).toHaveLength(8)
    expect(doc.trials[0].userAttrs).toBeUndefined()
    expect(doc.trials[1].userAttrs).toEqual({ loss: 0.31, tags: ['x', 'y'] })
    expect(doc.trials[4].error).toBe('exit code 1: boom, "bad"')
    expect(doc.space.rate_drop).toEqual({
      type: 'float',
      low: 0,
      high: 0.5,
      when: { booster: 'dart' },
    })
  })

  it('YAML is a study file of the same study, its trials under results (boolean-like strings kept)', () => {
    for (const top of [undefined, 3]) {
      const s = study('maximize')
      const yaml = exportTrials(s, trials, { format: 'yaml', top })
      const back = parseYaml(yaml)
      expect(back).toEqual(JSON.parse(JSON.stringify(buildStudyFileExport(s, trials, top))))
      const json = buildExportDocument(s, trials, top)
      expect(back.results).toEqual(
        JSON.parse(
          JSON.stringify({
            state: json.state,
            bestTrial: json.bestTrial,
            top: json.top,
            trials: json.trials,
          }),
        ),
      )
      // `hpo-studio run` reads it as the study it came from, seed included.
      const parsed = parseStudySpec(back)
      expect(parsed.ok).toBe(true)
      if (parsed.ok) expect(parsed.value).toEqual({ ...s.spec, seed: s.seed })
    }
    const text = exportTrials(study('maximize'), trials, { format: 'yaml' })
    expect(text).toMatch(/^# HPO Studio export of study "exp-1"/)
    expect(text).not.toMatch(/[&*]a\d/)
    const y = parseYaml(text)
    expect(y.results.trials[6].params.note).toBe('true')
    expect(y.results.trials[1].params.lr).toBe(1e-5)
  })

  it('has no best trial when nothing completed', () => {
    const doc = buildExportDocument(study('minimize'), [trials[2], trials[4]])
    expect(doc.bestTrial).toBeNull()
    expect(doc.trials).toHaveLength(2)
  })
})
