// `hpo-studio import`: every bad file is refused with exit 2 and a message naming the row, and nothing
// from a file with any error is imported.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { openStudyStore } from '../../src/main/store/openStudyStore.ts'
import { braninSpec } from '../conformance/storeTestHelpers.ts'
import { tempDir } from '../helpers/cli.ts'
import { runMain, STACK_FRAME } from '../helpers/inProcessCli.ts'

function study(): { db: string; dir: string } {
  const dir = tempDir()
  const db = path.join(dir, 'db.sqlite')
  const store = openStudyStore(db)
  store.createStudy(
    braninSpec('imp', {
      objective: { kind: 'command', run: ['true'] },
      space: {
        x: { type: 'float', low: 0, high: 10 },
        c: { type: 'categorical', choices: ['1', '2', 'three', 4] },
      },
      budget: { trials: 10 },
    }),
  )
  store.close()
  return { db, dir }
}

function trialsIn(db: string): { params: unknown; value: number | null }[] {
  const store = openStudyStore(db)
  try {
    return store
      .listTrials(store.getStudy('imp')!.id)
      .map((t) => ({ params: t.params, value: t.value }))
  } finally {
    store.close()
  }
}

async function importText(name: string, text: string | Buffer) {
  const { db, dir } = study()
  const file = path.join(dir, name)
  writeFileSync(file, text)
  const r = await runMain(['import', 'imp', file, '--db', db])
  return { ...r, trials: trialsIn(db), file }
}

describe('hpo-studio import', () => {
  it.each([
    [
      'ragged.csv',
      'x,c,value\n1,three,0.5\n2,three\n',
      /ragged.csv line 3: 2 fields, the header has 3/,
    ],
    ['quote.csv', 'x,c,value\n1,"three,0.5\n', /quote.csv: not a readable CSV file.*quote/i],
    [
      'null.json',
      '[null]',
      /null.json row 1: expected an object like \{ "params": \{…\}, "value": number \}, got null/,
    ],
    [
      'bad.json',
      '[{"params": {"x": 1, "c": "three"}, "value": 1}, {"params": {"x": 99, "c": "three"}, "value": 2}]',
      /bad.json row 2: params.x: must be in \[0, 10\], got 99/,
    ],
    [
      'bigvalue.csv',
      'x,c,value\n1,three,1e400\n',
      /bigvalue.csv line 2: value must be a finite number, got "1e400"/,
    ],
  ])(
    'refuses %s with exit 2, a clear message and nothing imported',
    async (name, text, message) => {
      const r = await importText(name, text)
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(message)
      expect(r.stderr).not.toMatch(STACK_FRAME)
      expect(r.trials).toEqual([])
    },
  )

  it("reads Excel's CSV UTF-8 (a byte order mark) and keeps numeric-looking choices as the study's strings", async () => {
    const r = await importText('excel.csv', '\ufeffx,c,value\n1,1,0.5\n2,4,0.25\n3,three,1\n')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.trials).toEqual([
      { params: { x: 1, c: '1' }, value: 0.5 },
      { params: { x: 2, c: 4 }, value: 0.25 },
      { params: { x: 3, c: 'three' }, value: 1 },
    ])
  })

  it('reads a JSON file with a byte order mark', async () => {
    const r = await importText('bom.json', '\ufeff[{"params": {"x": 1, "c": "1"}, "value": 2}]')
    expect(r.code, r.stderr).toBe(0)
    expect(r.trials).toEqual([{ params: { x: 1, c: '1' }, value: 2 }])
  })
})
