// `--trials N` is the study's budget from then on, and a trial queued on a finished study says how it
// will run, and does.
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir, writeStudy } from '../helpers/cli.ts'
import { runMain } from '../helpers/inProcessCli.ts'

describe('the trial budget', () => {
  it('stores --trials as the budget, and runs a trial queued on a finished study when resumed with more', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'db.sqlite')
    const file = writeStudy(dir, {
      name: 'budget',
      direction: 'minimize',
      objective: { kind: 'synthetic', function: 'branin' },
      budget: { trials: 2 },
      seed: 0,
    })
    expect((await runMain(['run', file, '--db', db, '--trials', '3', '--json'])).code).toBe(0)
    const list = JSON.parse((await runMain(['list', '--db', db, '--json'])).stdout)
    expect(list[0]).toMatchObject({ name: 'budget', trialsDone: 3, budgetTrials: 3 })
    // the same file again: its budget is no longer a "different spec"
    expect((await runMain(['run', file, '--db', db, '--trials', '3', '--json'])).code).toBe(0)

    const queued = await runMain([
      'enqueue',
      'budget',
      '--db',
      db,
      '--params',
      '{"x1": 1, "x2": 2}',
    ])
    expect(queued.code).toBe(0)
    expect(queued.stdout).toContain(
      `queued trial 3 of "budget"; the study has used its budget (3/3 trials), so it runs when you resume with a larger one: hpo-studio resume budget --trials 4`,
    )
    const resumed = await runMain(['resume', 'budget', '--db', db, '--trials', '4', '--json'])
    expect(resumed.code, resumed.stderr).toBe(0)
    const show = JSON.parse((await runMain(['show', 'budget', '--db', db, '--json'])).stdout)
    expect(show.trials).toHaveLength(4)
    expect(show.trials[3]).toMatchObject({ state: 'complete', params: { x1: 1, x2: 2 } })
    const after = JSON.parse((await runMain(['list', '--db', db, '--json'])).stdout)
    expect(after[0]).toMatchObject({ trialsDone: 4, budgetTrials: 4 })
  }, 120_000)
})
