// Studies with several objectives and constraints, run by the real `hpo-studio` command (real worker
// processes, a real SQLite file): nsga2 and tpe on synthetic functions, a command reporting values
// and constraints with some malformed reports, and what `show` says about them.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createRng } from '../../src/shared/rng.ts'
import { findXgboostLibrary } from '../../src/worker/xgboost/findXgboostLibrary.ts'
import { FIXTURES, runCli, tempDir, writeStudy } from '../helpers/cli.ts'

let noXgboost = ''
try {
  findXgboostLibrary()
} catch (e) {
  noXgboost = (e as Error).message
}

/** Three noisy classes in five features, 300 rows: a CSV a gbdt study can train on in well under a second. */
function blobsCsv(dir: string): string {
  const rng = createRng(11)
  const rows = ['a,b,c,d,e,label']
  for (let i = 0; i < 300; i++) {
    const k = i % 3
    const f = [0, 1, 2, 3, 4].map((j) => (k === j % 3 ? 1.2 : 0) + rng.normal())
    rows.push([...f.map((v) => v.toFixed(4)), `c${k}`].join(','))
  }
  const file = path.join(dir, 'blobs.csv')
  writeFileSync(file, rows.join('\n'))
  return file
}

const gbdtStudy = (dir: string, extra: Record<string, unknown>) => ({
  objective: {
    kind: 'gbdt',
    dataset: blobsCsv(dir),
    validation: { fraction: 0.25, stratify: true, seed: 0 },
    fixed: { tree_method: 'hist', nthread: 1 },
  },
  space: {
    max_depth: { type: 'int', low: 1, high: 8 },
    learning_rate: { type: 'float', low: 0.01, high: 0.5, log: true },
    n_estimators: { type: 'int', low: 5, high: 150, log: true },
  },
  seed: 2,
  ...extra,
})

let lastDb = ''

interface ShownTrial {
  number: number
  state: string
  value: number | null
  values?: number[] | null
  feasible?: boolean | null
  constraintsHold?: Record<string, boolean | null> | null
  error: string | null
}

async function runAndShow(spec: Record<string, unknown>, dir = tempDir('hpo-mo-')) {
  const db = path.join(dir, 'db.sqlite')
  lastDb = db
  const run = await runCli(['run', writeStudy(dir, spec), '--db', db, '--json'])
  expect(run.code, run.stderr).toBe(0)
  const show = await runCli(['show', String(spec.name), '--db', db, '--json'])
  expect(show.code, show.stderr).toBe(0)
  const text = await runCli(['show', String(spec.name), '--db', db])
  return { shown: JSON.parse(show.stdout), text: text.stdout, ran: JSON.parse(run.stdout) }
}

// each test runs the CLI several times (run, show, export): generous on a shared, loaded machine
describe('multi-objective studies from the CLI', { timeout: 180_000 }, () => {
  it('nsga2 on ZDT1: every trial has both values, show lists the Pareto front', async () => {
    const { shown, text, ran } = await runAndShow({
      name: 'zdt',
      objectives: [
        { name: 'f1', direction: 'minimize' },
        { name: 'f2', direction: 'minimize' },
      ],
      objective: { kind: 'synthetic', function: 'zdt1', dimensions: 4 },
      tuner: { kind: 'nsga2', populationSize: 6 },
      budget: { trials: 20 },
      seed: 1,
    })
    const trials = shown.trials as ShownTrial[]
    expect(trials).toHaveLength(20)
    for (const t of trials) {
      expect(t.state).toBe('complete')
      expect(t.values).toHaveLength(2)
      expect(t.value).toBe(t.values![0])
    }
    expect(shown.best).toBeNull()
    expect(shown.paretoFront.length).toBeGreaterThan(0)
    // `run` names the same best trials as `show`, with no single best
    expect(ran.best).toBeUndefined()
    expect(ran.bestTrials.map((t: { number: number }) => t.number)).toEqual(shown.paretoFront)
    // no trial on the front is dominated by another
    const front = (shown.paretoFront as number[]).map((n) => trials[n].values!)
    for (const a of front)
      for (const b of trials.map((t) => t.values!))
        expect(b[0] <= a[0] && b[1] <= a[1] && (b[0] < a[0] || b[1] < a[1])).toBe(false)
    expect(text).toContain('objectives f1 (minimize), f2 (minimize)')
    expect(text).toMatch(/Pareto front: \d+ trials?/)
    // the chosen trial of the front, exported alone with both values
    const chosen = shown.paretoFront[0] as number
    const csv = await runCli([
      'export',
      'zdt',
      '--db',
      lastDb,
      '--format',
      'csv',
      '--trial',
      String(chosen),
    ])
    expect(csv.code, csv.stderr).toBe(0)
    const [header, row, extra] = csv.stdout.trim().split('\n')
    expect(header.startsWith('number,state,value,values.f1,values.f2,')).toBe(true)
    expect(row.startsWith(`${chosen},complete,`)).toBe(true)
    expect(extra).toBeUndefined()
    const missing = await runCli([
      'export',
      'zdt',
      '--db',
      lastDb,
      '--format',
      'csv',
      '--trial',
      '999',
    ])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('has no trial 999')
  })

  it('constrained tpe on Binh–Korn: show --json says which constraints hold', async () => {
    const { shown } = await runAndShow({
      name: 'bk',
      objectives: [
        { name: 'f1', direction: 'minimize' },
        { name: 'f2', direction: 'minimize' },
      ],
      constraints: [
        { name: 'c1', max: 25 },
        { name: 'c2', min: 7.7 },
      ],
      objective: { kind: 'synthetic', function: 'binh_korn' },
      tuner: { kind: 'tpe', nStartupTrials: 5 },
      budget: { trials: 14 },
      seed: 3,
    })
    const trials = shown.trials as ShownTrial[]
    expect(shown.constraints).toEqual([
      { name: 'c1', max: 25 },
      { name: 'c2', min: 7.7 },
    ])
    for (const t of trials) {
      const hold = t.constraintsHold as Record<string, boolean>
      expect(Object.keys(hold)).toEqual(['c1', 'c2'])
      expect(t.feasible).toBe(hold.c1 && hold.c2)
    }
    for (const n of shown.paretoFront as number[]) expect(trials[n].feasible).toBe(true)
  })

  it('a command’s malformed report fails that trial with a specific message, the study goes on', async () => {
    const { shown, text } = await runAndShow({
      name: 'cmd',
      objectives: [
        { name: 'loss', direction: 'minimize' },
        { name: 'latency_ms', direction: 'minimize' },
      ],
      constraints: [{ name: 'size_mb', max: 60 }],
      objective: {
        kind: 'command',
        run: [process.execPath, path.join(FIXTURES, 'commands/multiobjective.mjs')],
      },
      space: { x: { type: 'float', low: 0, high: 1 }, y: { type: 'float', low: 0, high: 1 } },
      tuner: { kind: 'nsga2', populationSize: 4 },
      budget: { trials: 12 },
      seed: 0,
    })
    const trials = shown.trials as ShownTrial[]
    const errors = Object.fromEntries(trials.filter((t) => t.error).map((t) => [t.number, t.error]))
    expect(errors).toEqual({
      3: "the objective's report: no value for objective latency_ms: the study file names loss, latency_ms, the objective reported loss",
      5: "the objective's report: objective loss is NaN (a finite number is required)",
      7: "the objective's report: no value for objective latency_ms: the study file names loss, latency_ms, the objective reported loss, latency",
      9: 'the objective\'s report: constraint size_mb was never reported: report {"constraints": {"size_mb": …}}',
    })
    expect(trials.filter((t) => t.state === 'complete')).toHaveLength(8)
    expect(trials.some((t) => t.feasible === false)).toBe(true)
    expect(text).toMatch(/infeasible \(size_mb\)/)
  })

  describe.skipIf(!!noXgboost)('gbdt (real XGBoost)', () => {
    it('accuracy against training seconds with nsga2', async () => {
      const dir = tempDir('hpo-mo-gbdt-')
      const { shown } = await runAndShow(
        gbdtStudy(dir, {
          name: 'xgb-time',
          objectives: [
            { name: 'accuracy', direction: 'maximize' },
            { name: 'train_seconds', direction: 'minimize' },
          ],
          tuner: { kind: 'nsga2', populationSize: 4 },
          budget: { trials: 10 },
        }),
        dir,
      )
      const trials = shown.trials as ShownTrial[]
      expect(trials.filter((t) => t.state === 'complete')).toHaveLength(10)
      for (const t of trials) {
        const [accuracy, seconds] = t.values!
        expect(accuracy).toBe(t.value)
        expect(accuracy).toBeGreaterThan(0.3)
        expect(seconds).toBeGreaterThan(0)
      }
      expect(shown.paretoFront.length).toBeGreaterThan(0)
    })

    it('accuracy under a model-size limit with constrained tpe', async () => {
      const dir = tempDir('hpo-mo-gbdt-')
      const { shown, text } = await runAndShow(
        gbdtStudy(dir, {
          name: 'xgb-size',
          direction: 'maximize',
          constraints: [{ name: 'model_bytes', max: 60_000 }],
          tuner: { kind: 'tpe', nStartupTrials: 4 },
          budget: { trials: 10 },
        }),
        dir,
      )
      const trials = (
        shown.trials as (ShownTrial & { constraints: Record<string, number> })[]
      ).filter((t) => t.state === 'complete')
      expect(trials).toHaveLength(10)
      for (const t of trials) expect(t.feasible).toBe(t.constraints.model_bytes <= 60_000)
      expect(trials.some((t) => t.feasible) && trials.some((t) => !t.feasible)).toBe(true)
      // the best is the most accurate feasible trial
      const feasible = trials.filter((t) => t.feasible)
      expect(shown.best.value).toBe(Math.max(...feasible.map((t) => t.value!)))
      expect(text).toContain('best feasible: trial')
    })
  })
})
