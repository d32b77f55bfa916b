// The tabular objective as a user runs it: the CLI, real worker processes, a real database; and the
// study-file checks that refuse a bad table before any trial.
import { tableDecoders } from '../helpers/tableDecoders.ts'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseTabularBytes, tableValue } from '../../src/shared/tabularTable.ts'
import { ROOT, runCli, tempDir, writeStudy } from '../helpers/cli.ts'

const TABLE = path.join(ROOT, 'resources/templates/tables/nasbench201-cifar10.json.gz')

describe('tabular objective', () => {
  it('replays a shipped table: every trial’s value is the table’s, the space comes from it', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'db.sqlite')
    const file = writeStudy(dir, {
      name: 'nas',
      direction: 'maximize',
      objective: { kind: 'tabular', table: TABLE },
      tuner: { kind: 'mbrl' },
      budget: { trials: 14 },
      concurrency: 2,
      seed: 3,
    })
    const run = await runCli(['run', file, '--db', db, '--json'])
    expect(run.code, run.stderr).toBe(0)
    const show = JSON.parse((await runCli(['show', 'nas', '--db', db, '--json'])).stdout) as {
      trials: { state: string; params: Record<string, string>; value: number }[]
    }
    const parsed = parseTabularBytes(readFileSync(TABLE), TABLE, tableDecoders)
    if (!parsed.ok) throw new Error('table')
    expect(show.trials).toHaveLength(14)
    for (const t of show.trials) {
      expect(t.state).toBe('complete')
      expect(Object.keys(t.params).sort()).toEqual(['Op0', 'Op1', 'Op2', 'Op3', 'Op4', 'Op5'])
      expect(t.value).toBe(tableValue(parsed.value, t.params))
    }
  })

  it('refuses a missing table, a hole in a CSV, the wrong direction and a space that does not match, before any trial', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'db.sqlite')
    const csv = path.join(dir, 'grid.csv')
    writeFileSync(csv, 'depth,act,value\n1,relu,0.2\n2,relu,0.3\n1,tanh,0.25\n')
    const cases: [Record<string, unknown>, string][] = [
      [
        { objective: { kind: 'tabular', table: 'missing.json.gz' } },
        `objective.table: cannot read ${path.join(dir, 'missing.json.gz')} (ENOENT)`,
      ],
      [
        { objective: { kind: 'tabular', table: 'grid.csv' } },
        `${csv}: no row for depth=2, act="tanh"`,
      ],
      [
        { objective: { kind: 'tabular', table: TABLE }, direction: 'minimize' },
        'direction: ' + TABLE + ' holds values to maximize, got direction minimize',
      ],
      [
        {
          objective: { kind: 'tabular', table: TABLE },
          space: { Op0: { type: 'categorical', choices: ['none', 'skip_connect'] } },
        },
        "space.Op0: must be a categorical with the table's choices",
      ],
    ]
    for (const [extra, message] of cases) {
      const file = writeStudy(dir, {
        name: 'bad',
        direction: 'maximize',
        budget: { trials: 3 },
        ...extra,
      })
      const validate = await runCli(['validate', file])
      expect(validate.code).toBe(2)
      expect(validate.stderr).toContain(message)
      const run = await runCli(['run', file, '--db', db])
      expect(run.code).toBe(2)
      expect(run.stderr).toContain(message)
    }
    const list = await runCli(['list', '--db', db, '--json'])
    expect(JSON.parse(list.stdout)).toEqual([])
  }, 180_000)
})
