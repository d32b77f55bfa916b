// The hpo-studio command as a user runs it: real processes, a real database file.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parse as parseCsv } from 'csv-parse/sync'
import { parse as parseYaml } from 'yaml'
import { describe, expect, it } from 'vitest'
import { FIXTURES, ROOT, runCli, sleep, startCli, tempDir, writeStudy } from '../helpers/cli.ts'

const branin = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  direction: 'minimize',
  objective: { kind: 'synthetic', function: 'branin' },
  budget: { trials: 6 },
  seed: 0,
  ...extra,
})

describe('hpo-studio', () => {
  it('prints help for every command and exits 0', async () => {
    const r = await runCli(['--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/run .*study-file/)
    expect((await runCli(['export', '--help'])).code).toBe(0)
  })

  it('validates a study file, and names the path, rule and value of each error', async () => {
    const dir = tempDir()
    expect((await runCli(['validate', path.join(ROOT, 'examples/branin.yaml')])).code).toBe(0)
    const bad = writeStudy(dir, {
      name: 'x',
      direction: 'sideways',
      objective: { kind: 'command', run: ['true'] },
      space: { lr: { type: 'float', low: 0, high: 1, log: true } },
    })
    const r = await runCli(['validate', bad])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('direction: must be one of "minimize", "maximize", got "sideways"')
    expect(r.stderr).toContain('space.lr: low must be > 0 when log is true, got low=0')
    const json = await runCli(['validate', bad, '--json'])
    expect(JSON.parse(json.stdout).errors.map((e: { rule: string }) => e.rule)).toContain(
      'positive-when-log',
    )
    const syntax = path.join(dir, 'broken.yaml')
    const { writeFileSync } = await import('node:fs')
    writeFileSync(syntax, 'name: [unclosed\n')
    const s = await runCli(['validate', syntax])
    expect(s.code).toBe(2)
    expect(s.stderr).toMatch(/broken.yaml is not valid YAML\/JSON at line \d+/)
  })

  it('runs, lists, shows, exports, continues the same spec and refuses a different one', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'db.sqlite')
    const file = writeStudy(dir, branin('cli-branin'))
    const run = await runCli(['run', file, '--db', db, '--json'])
    expect(run.code, run.stderr).toBe(0)
    const out = JSON.parse(run.stdout)
    expect(out.state).toBe('finished')
    expect(out.trials).toBe(6)

    const show = JSON.parse((await runCli(['show', 'cli-branin', '--db', db, '--json'])).stdout)
    expect(show.trials).toHaveLength(6)
    expect(show.trials[0]).toMatchObject({ number: 0, state: 'complete' })
    expect(show.best.value).toBe(Math.min(...show.trials.map((t: { value: number }) => t.value)))
    const list = JSON.parse((await runCli(['list', '--db', db, '--json'])).stdout)
    expect(list[0]).toMatchObject({
      name: 'cli-branin',
      state: 'finished',
      trialsDone: 6,
      bestValue: show.best.value,
    })

    const csv = parseCsv(
      (await runCli(['export', 'cli-branin', '--db', db, '--format', 'csv'])).stdout,
      { columns: true },
    ) as Record<string, string>[]
    expect(csv).toHaveLength(6)
    expect(Object.keys(csv[0])).toEqual(
      expect.arrayContaining(['number', 'state', 'value', 'x1', 'x2']),
    )
    const outFile = path.join(dir, 'top.yaml')
    expect(
      (
        await runCli([
          'export',
          'cli-branin',
          '--db',
          db,
          '--format',
          'yaml',
          '--top',
          '2',
          '--out',
          outFile,
        ])
      ).code,
    ).toBe(0)
    const top = parseYaml(readFileSync(outFile, 'utf8'))
    expect(top.results.trials).toHaveLength(2)
    expect(top.results.trials[0].value).toBe(show.best.value)
    // The YAML export is a study file: it runs the same study in another database…
    const elsewhere = await runCli([
      'run',
      outFile,
      '--db',
      path.join(dir, 'other.sqlite'),
      '--json',
    ])
    expect(elsewhere.code).toBe(0)
    expect(JSON.parse(elsewhere.stdout).trials).toBe(6)
    // …and is the same study in its own (the same spec and seed: nothing left to run).
    const again = await runCli(['run', outFile, '--db', db, '--json'])
    expect(again.code).toBe(0)
    expect(JSON.parse(again.stdout).trials).toBe(6)

    const more = await runCli(['run', file, '--db', db, '--trials', '8', '--json'])
    expect(more.code).toBe(0)
    expect(JSON.parse(more.stdout).trials).toBe(8)

    const changed = writeStudy(
      dir,
      branin('cli-branin', { tuner: { kind: 'tpe' } }),
      'changed.yaml',
    )
    const refused = await runCli(['run', changed, '--db', db])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('tuner.kind: "random" → "tpe"')
  }, 120_000)

  it("a tpe study run in two parts makes the trials Optuna 3.1.1's TPESampler(seed=0) made", async () => {
    const dir = tempDir()
    const db = path.join(dir, 'db.sqlite')
    const file = writeStudy(
      dir,
      branin('cli-optuna', { tuner: { kind: 'tpe' }, budget: { trials: 30 } }),
    )
    // 14 trials, a new process (the tuner's saved state restored), then the rest
    expect((await runCli(['run', file, '--db', db, '--trials', '14'])).code).toBe(0)
    expect((await runCli(['run', file, '--db', db])).code).toBe(0)
    const show = JSON.parse((await runCli(['show', 'cli-optuna', '--db', db, '--json'])).stdout)
    const optuna = JSON.parse(
      readFileSync(path.join(ROOT, 'test/fixtures/optuna31/tpe.json'), 'utf8'),
    ).runs.find(
      (r: { space: string; seed: number; multivariate: boolean }) =>
        r.space === 'branin' && r.seed === 0 && !r.multivariate,
    ).trials as { x1: number; x2: number }[]
    const trials = (show.trials as { number: number; params: { x1: number; x2: number } }[]).sort(
      (a, b) => a.number - b.number,
    )
    expect(trials).toHaveLength(30)
    for (const t of trials)
      for (const k of ['x1', 'x2'] as const)
        expect(Math.abs(t.params[k] - optuna[t.number][k]), `trial ${t.number} ${k}`).toBeLessThan(
          1e-9,
        )
  })

  it('enqueues and imports with validation, and deletes only when confirmed', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'db.sqlite')
    const file = writeStudy(dir, branin('cli-q', { budget: { trials: 5 } }))
    expect((await runCli(['validate', file])).code).toBe(0)
    await runCli(['run', file, '--db', db, '--trials', '1', '--json'])
    const bad = await runCli(['enqueue', 'cli-q', '--db', db, '--params', '{"x1": 99, "x2": 1}'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--params: params.x1: must be in [-5, 10], got 99')
    expect(
      (await runCli(['enqueue', 'cli-q', '--db', db, '--params', '{"x1": 3.14159, "x2": 2.275}']))
        .code,
    ).toBe(0)
    const imp = path.join(dir, 'known.csv')
    const { writeFileSync } = await import('node:fs')
    writeFileSync(imp, 'x1,x2,value\n0,0,55.6\n1,1,27.7\n')
    expect((await runCli(['import', 'cli-q', imp, '--db', db])).code).toBe(0)
    const r = await runCli(['run', file, '--db', db, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const show = JSON.parse((await runCli(['show', 'cli-q', '--db', db, '--json'])).stdout)
    expect(
      show.trials.find((t: { params: { x1: number } }) => t.params.x1 === 3.14159).value,
    ).toBeCloseTo(0.3979, 3)
    expect((await runCli(['delete', 'cli-q', '--db', db])).code).toBe(2)
    expect((await runCli(['delete', 'cli-q', '--db', db, '--yes'])).code).toBe(0)
    expect(JSON.parse((await runCli(['list', '--db', db, '--json'])).stdout)).toEqual([])
  })

  it('stops a study run by another process (exit 3), then resumes it to the end', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'db.sqlite')
    const file = writeStudy(dir, {
      name: 'remote-stop',
      direction: 'minimize',
      objective: {
        kind: 'command',
        run: [process.execPath, path.join(FIXTURES, 'commands/steps.mjs')],
        env: { SLEEP_MS: '400', STEPS: '5' },
      },
      space: { x: { type: 'float', low: -1, high: 1 } },
      budget: { trials: 3 },
      concurrency: 2,
    })
    const { result } = startCli(['run', file, '--db', db])
    await sleep(2500)
    const stop = await runCli(['stop', 'remote-stop', '--db', db])
    expect(stop.code).toBe(0)
    expect(stop.stdout).toMatch(/asked process \d+/)
    const r = await result
    expect(r.code).toBe(3)
    const show = JSON.parse((await runCli(['show', 'remote-stop', '--db', db, '--json'])).stdout)
    expect(show.state).toBe('stopped')
    expect(show.trials.some((t: { state: string }) => t.state === 'interrupted')).toBe(true)
    const resumed = await runCli(['resume', 'remote-stop', '--db', db])
    expect(resumed.code, resumed.stderr).toBe(0)
    const after = JSON.parse((await runCli(['show', 'remote-stop', '--db', db, '--json'])).stdout)
    expect(after.state).toBe('finished')
    expect(after.trials.filter((t: { state: string }) => t.state === 'complete')).toHaveLength(3)
  }, 90_000)

  it('stops cleanly on Ctrl-C with exit 130, and a live lease refuses a second runner (exit 2)', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'db.sqlite')
    const file = writeStudy(dir, {
      name: 'ctrl-c',
      direction: 'minimize',
      objective: {
        kind: 'command',
        run: [process.execPath, path.join(FIXTURES, 'commands/steps.mjs')],
        env: { SLEEP_MS: '500', STEPS: '10' },
      },
      space: { x: { type: 'float', low: -1, high: 1 } },
      budget: { trials: 2 },
    })
    const { child, result } = startCli(['run', file, '--db', db])
    await sleep(2500)
    const second = await runCli(['resume', 'ctrl-c', '--db', db, '--trials', '2'])
    expect(second.code).toBe(0)
    expect(second.stdout).toMatch(/asked it to resume/)
    const again = await runCli(['run', file, '--db', db])
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(/is being run by process \d+/)
    child.kill('SIGINT')
    const r = await result
    expect(r.code).toBe(130)
    const show = JSON.parse((await runCli(['show', 'ctrl-c', '--db', db, '--json'])).stdout)
    expect(show.state).toBe('stopped')
    expect(show.trials[0].state).toBe('interrupted')
  }, 60_000)
})
