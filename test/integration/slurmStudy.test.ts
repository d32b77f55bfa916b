// Studies whose trials run as Slurm jobs on the one-node test cluster (test/helpers/slurmClusterSetup.ts),
// through the real `hpo-studio` command: the same study gives the same trials as on this machine, for every
// objective kind, and what a node cannot use stops the study before its first trial, with the reason.
import { symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { slurmPreflight } from '../../src/main/slurm/slurmPreflight.ts'
import { createRng } from '../../src/shared/rng.ts'
import { FIXTURES, runCli, tempDir, writeStudy } from '../helpers/cli.ts'
import { noJobsLeft, readStudy, useTestCluster } from '../helpers/slurm.ts'

useTestCluster()
const SLURM = { kind: 'slurm', time: 10 }

/** Runs one study file twice, on this machine and on Slurm; returns both trial lists. */
async function runBoth(spec: Record<string, unknown>, dir = tempDir()) {
  const out = []
  for (const executor of [null, SLURM]) {
    const db = path.join(dir, executor ? 'slurm.sqlite' : 'local.sqlite')
    const file = writeStudy(
      dir,
      executor ? { ...spec, executor } : spec,
      `${executor ? 'slurm' : 'local'}.yaml`,
    )
    const run = await runCli(['run', file, '--db', db])
    expect(run.code, run.stdout + run.stderr).toBe(0)
    out.push(readStudy(db, spec.name as string)!)
  }
  const [local, slurm] = out
  expect(await noJobsLeft(slurm.study)).toEqual([])
  return { local, slurm }
}

const summary = (
  trials: { number: number; state: string; params: unknown; value: number | null }[],
) => trials.map((t) => ({ number: t.number, state: t.state, params: t.params, value: t.value }))

describe('a study on Slurm', () => {
  it('runs 20 trials, 2 at a time, each its own job, with the trials the same study gives locally', async () => {
    const { local, slurm } = await runBoth({
      name: 'branin-20',
      direction: 'minimize',
      objective: { kind: 'synthetic', function: 'branin' },
      // random search: its proposals depend on the seed only, not on which trial ended first
      tuner: { kind: 'random' },
      budget: { trials: 20 },
      concurrency: 2,
      seed: 7,
    })
    expect(slurm.trials).toHaveLength(20)
    expect(summary(slurm.trials)).toEqual(summary(local.trials))
    const jobs = slurm.trials.map((t) => t.placement)
    expect(jobs.every((p) => p?.executor === 'slurm' && p.queue === 'running' && p.node)).toBe(true)
    expect(new Set(jobs.map((p) => p!.jobId)).size).toBe(20)
    expect(local.trials.every((t) => t.placement === null)).toBe(true)
  }, 400_000)

  it('runs command, gbdt and cnn objectives on a node with the values they give locally', async () => {
    const dir = tempDir()
    const rng = createRng(5)
    const rows = Array.from({ length: 240 }, () => {
      const x = [rng.next(), rng.next(), rng.next()]
      return [...x.map((v) => v.toFixed(4)), x[0] + x[1] * rng.next() > 0.8 ? 'a' : 'b'].join(',')
    })
    writeFileSync(path.join(dir, 'train.csv'), ['f1,f2,f3,label', ...rows].join('\n') + '\n')
    const idx = path.join(FIXTURES, 'idx/fashion-mnist')
    const objectives = {
      command: {
        objective: {
          kind: 'command',
          run: [process.execPath, path.join(FIXTURES, 'commands/steps.mjs')],
          env: { STEPS: '3' },
        },
        space: { x: { type: 'float', low: -2, high: 2 }, y: { type: 'int', low: 0, high: 5 } },
        direction: 'minimize',
      },
      gbdt: {
        objective: { kind: 'gbdt', dataset: path.join(dir, 'train.csv') },
        space: {
          max_depth: { type: 'int', low: 1, high: 6 },
          eta: { type: 'float', low: 0.05, high: 0.5 },
          n_estimators: { type: 'int', low: 5, high: 20 },
        },
        direction: 'maximize',
      },
      cnn: {
        objective: {
          kind: 'cnn',
          dataset: {
            images: path.join(idx, 'train-images-idx3-ubyte.gz'),
            labels: path.join(idx, 'train-labels-idx1-ubyte'),
          },
          model: 'softmax',
          epochs: 2,
        },
        space: { learning_rate: { type: 'float', low: 0.01, high: 0.5, log: true } },
        direction: 'maximize',
      },
    }
    for (const [kind, o] of Object.entries(objectives)) {
      const { local, slurm } = await runBoth(
        {
          name: `kind-${kind}`,
          ...o,
          tuner: { kind: 'random' },
          budget: { trials: 2 },
          concurrency: 2,
          seed: 2,
        },
        dir,
      )
      expect(
        slurm.trials.map((t) => t.state),
        kind,
      ).toEqual(['complete', 'complete'])
      expect(summary(slurm.trials), kind).toEqual(summary(local.trials))
      expect(
        slurm.trials.map((t) => t.backend),
        kind,
      ).toEqual(local.trials.map((t) => t.backend))
    }
  }, 400_000)
})

describe('a study moved to Slurm', () => {
  it('goes on from where it stopped on this machine when its file gains an executor section', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'db.sqlite')
    const spec = {
      name: 'moved',
      direction: 'minimize',
      objective: { kind: 'synthetic', function: 'branin' },
      budget: { trials: 4 },
      seed: 4,
    }
    const first = await runCli(['run', writeStudy(dir, spec), '--db', db, '--trials', '2'])
    expect(first.code, first.stderr).toBe(0)
    const moved = writeStudy(dir, { ...spec, executor: SLURM }, 'moved.yaml')
    const second = await runCli(['run', moved, '--db', db])
    expect(second.code, second.stdout + second.stderr).toBe(0)
    const { study, trials } = readStudy(db, 'moved')!
    expect(study.spec.executor).toMatchObject({ kind: 'slurm', time: '10' })
    expect(trials.map((t) => [t.state, t.placement?.executor ?? 'local'])).toEqual([
      ['complete', 'local'],
      ['complete', 'local'],
      ['complete', 'slurm'],
      ['complete', 'slurm'],
    ])
  }, 180_000)
})

describe('the check before the first trial', () => {
  const base = {
    name: 'checked',
    direction: 'minimize',
    objective: { kind: 'synthetic', function: 'branin' },
    budget: { trials: 1 },
  }
  const run = async (spec: Record<string, unknown>, env: Record<string, string> = {}) => {
    const dir = tempDir()
    return runCli(['run', writeStudy(dir, spec), '--db', path.join(dir, 'db.sqlite')], env)
  }

  it('names a partition Slurm does not have, and those it has', async () => {
    const r = await run({ ...base, executor: { kind: 'slurm', partition: 'gpu-h100' } })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(
      /executor\.partition: Slurm has no partition "gpu-h100" \(it has debug \(default\)\)/,
    )
  })

  // A program missing here is refused before (objective.run[0]); on the one-node cluster every path seen
  // here is seen on the node, so the node's own check is asked directly, for a path missing there.
  it('names a path a node cannot use, and what it is', async () => {
    const r = await slurmPreflight(
      { kind: 'slurm', cpusPerTrial: 1, gpusPerTrial: 0, extra: [] },
      [
        { path: process.execPath, what: 'Node.js', mode: 'x' },
        { path: '/opt/nowhere/train.sh', what: 'the command', mode: 'x' },
        { path: tempDir(), what: 'the trial artifacts folder', mode: 'w' },
      ],
      'hpo-test-check',
    )
    expect(r).toEqual({
      problems: [`the command is not executable on ${os.hostname()}: /opt/nowhere/train.sh`],
      warnings: [],
    })
  })

  it('says so when srun is not on PATH', async () => {
    const bin = tempDir()
    symlinkSync(process.execPath, path.join(bin, 'node'))
    const r = await run({ ...base, executor: SLURM }, { PATH: bin })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/srun cannot run here: srun is not on PATH/)
  })
})
