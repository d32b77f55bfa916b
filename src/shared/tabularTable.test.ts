import { describe, expect, it } from 'vitest'
import { gzipSync, tableDecoders } from '../../test/helpers/tableDecoders.ts'
import { parseSearchSpace } from './searchSpace.ts'
import {
  parseTabularBytes,
  parseTabularCsv,
  parseTabularJson,
  tableBest,
  tableSpaceErrors,
  tableValue,
} from './tabularTable.ts'

const json = {
  name: 'toy',
  direction: 'maximize',
  order: ['lr', 'act'],
  space: { lr: [0.001, 0.01, 0.1], act: ['relu', 'tanh'] },
  table: { '00': 0.5, '01': 0.55, '10': 0.7, '11': 0.65, '20': 0.6, '21': 0.4 },
}
const bytes = (o: unknown) => new TextEncoder().encode(JSON.stringify(o))

function expectError(r: ReturnType<typeof parseTabularJson>, rule: string, text: string) {
  expect(r.ok).toBe(false)
  if (r.ok) return
  expect(r.errors[0]).toMatchObject({ path: 'objective.table', rule })
  expect(r.errors[0].message).toContain(text)
}

describe('tabular tables', () => {
  it('reads the JSON form, plain or gzipped (by its magic bytes): ordered numbers, categorical strings, lookups by configuration', () => {
    for (const raw of [bytes(json), gzipSync(bytes(json))]) {
      const r = parseTabularBytes(raw, 'toy.json', tableDecoders)
      if (!r.ok) throw new Error(r.errors[0].message)
      const t = r.value
      expect(t.direction).toBe('maximize')
      expect(t.space.params).toEqual([
        { name: 'lr', type: 'categorical', choices: [0.001, 0.01, 0.1], ordered: true },
        { name: 'act', type: 'categorical', choices: ['relu', 'tanh'] },
      ])
      expect(tableValue(t, { lr: 0.01, act: 'tanh' })).toBe(0.65)
      expect(tableValue(t, { lr: 0.1, act: 'relu' })).toBe(0.6)
      expect(tableBest(t, 'maximize')).toBe(0.7)
      expect(tableBest(t, 'minimize')).toBe(0.4)
      expect(() => tableValue(t, { lr: 0.5, act: 'relu' })).toThrow(
        /lr=0.5 is not one of the table's choices/,
      )
    }
  })

  it('reads the CSV form: a column per parameter, then value; numbers sorted, strings in order of appearance', () => {
    const r = parseTabularCsv(
      'depth,act,value\n2,tanh,0.3\n1,tanh,0.2\n2,relu,0.1\n1,relu,0.4\n',
      't.csv',
      tableDecoders.parseCsv,
    )
    if (!r.ok) throw new Error(r.errors[0].message)
    expect(r.value.direction).toBeNull()
    expect(r.value.space.params).toEqual([
      { name: 'depth', type: 'categorical', choices: [1, 2], ordered: true },
      { name: 'act', type: 'categorical', choices: ['tanh', 'relu'] },
    ])
    expect(tableValue(r.value, { depth: 1, act: 'relu' })).toBe(0.4)
  })

  it('refuses a malformed file with the file, the rule and the value', () => {
    expectError(
      parseTabularBytes(new TextEncoder().encode('{"name": '), 'bad.json', tableDecoders),
      'json',
      'bad.json is not valid JSON',
    )
    expectError(
      parseTabularJson({ ...json, direction: 'up' }, 'f.json'),
      'table-format',
      'direction must be minimize or maximize, got "up"',
    )
    expectError(
      parseTabularJson({ ...json, order: ['lr', 'width'] }, 'f.json'),
      'table-space',
      'order names "width"',
    )
    expectError(
      parseTabularJson({ ...json, table: { ...json.table, '30': 0.1 } }, 'f.json'),
      'table-id',
      'id "30" is not one choice index per parameter',
    )
    expectError(
      parseTabularJson({ ...json, table: { ...json.table, '21': 'x' } }, 'f.json'),
      'table-value',
      'the value of id "21" must be a finite number, got "x"',
    )
    const { '11': _gone, ...holed } = json.table
    expectError(
      parseTabularJson({ ...json, table: holed }, 'f.json'),
      'table-complete',
      'id "11" (lr=0.01, act="tanh") has no row',
    )
    expectError(
      parseTabularCsv('a,b\n1,2\n', 'c.csv', tableDecoders.parseCsv),
      'table-format',
      'the header must name the parameters, then "value"',
    )
    expectError(
      parseTabularCsv('a,value\n1,0.5\n1,0.6\n', 'c.csv', tableDecoders.parseCsv),
      'table-duplicate',
      'line 3 repeats the configuration a=1',
    )
    expectError(
      parseTabularCsv('a,value\n1,0.5\n2,high\n', 'c.csv', tableDecoders.parseCsv),
      'table-value',
      'line 3: value must be a finite number, got "high"',
    )
    expectError(
      parseTabularCsv('a,b,value\n1,x,0.5\n2,y,0.6\n', 'c.csv', tableDecoders.parseCsv),
      'table-complete',
      'no row for a=1, b="y"',
    )
  })

  it('checks a study file’s own space against the table: same parameters, same choices', () => {
    const r = parseTabularJson(json, 'toy.json')
    if (!r.ok) throw new Error('bad')
    const space = (raw: unknown) => {
      const p = parseSearchSpace(raw)
      if (!p.ok) throw new Error(p.errors[0].message)
      return p.value
    }
    const same = space({
      act: { type: 'categorical', choices: ['tanh', 'relu'] },
      lr: { type: 'categorical', choices: [0.1, 0.01, 0.001], ordered: true },
    })
    expect(tableSpaceErrors(r.value, same)).toEqual([])
    const errors = tableSpaceErrors(
      r.value,
      space({
        lr: { type: 'float', low: 0.001, high: 0.1 },
        width: { type: 'int', low: 1, high: 4 },
      }),
    )
    expect(errors.map((e) => [e.path, e.rule])).toEqual([
      ['space.lr', 'table-space'],
      ['space.width', 'table-space'],
      ['space', 'table-space'],
    ])
    expect(errors[0].message).toContain(
      "must be a categorical with the table's choices [0.001, 0.01, 0.1] (toy.json), got a float parameter",
    )
    expect(errors[2].message).toContain("misses the table's parameter act")
  })
})
