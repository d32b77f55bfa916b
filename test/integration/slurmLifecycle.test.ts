// A Slurm study's trials through their lives on the one-node test cluster (2 CPUs), driven through the real
// `hpo-studio` command: waiting in the queue shows, a job cancelled from outside fails its trial with Slurm's
// reason and the study goes on, stop and prune end the jobs, and a runner killed outright leaves no job
// behind once resumed and loses no complete trial.
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { FIXTURES, runCli, startCli, tempDir, writeStudy } from '../helpers/cli.ts'
import {
  noJobsLeft,
  readStudy,
  scancel,
  studyJobs,
  useTestCluster,
  waitFor,
} from '../helpers/slurm.ts'

useTestCluster()

/** A study of the paced command (test/fixtures/commands/paced.mjs) on Slurm, written to a fresh folder. */
function pacedStudy(
  name: string,
  env: Record<string, string>,
  extra: Record<string, unknown> = {},
) {
  const dir = tempDir()
  const file = writeStudy(dir, {
    name,
    direction: 'minimize',
    objective: {
      kind: 'command',
      run: [process.execPath, path.join(FIXTURES, 'commands/paced.mjs')],
      env,
    },
    space: { x: { type: 'float', low: -2, high: 2 }, y: { type: 'int', low: 0, high: 5 } },
    tuner: { kind: 'random' },
    seed: 1,
    ...extra,
    executor: { kind: 'slurm', time: 10, ...(extra.executor as object) },
  })
  return { dir, file, db: path.join(dir, 'db.sqlite') }
}

const trialsOf = (db: string, name: string) => readStudy(db, name)?.trials ?? []

describe('a Slurm study', () => {
  it("shows a trial waiting in Slurm's queue as pending, with Slurm's reason", async () => {
    const s = pacedStudy(
      'queued',
      // long enough that the waiting trial still waits when `show` (a CLI start) reads it
      { STEPS: '12', SLEEP_MS: '1000' },
      { budget: { trials: 2 }, concurrency: 2, executor: { cpusPerTrial: 2 } },
    )
    const cli = startCli(['run', s.file, '--db', s.db])
    // Each job takes both CPUs: one trial runs, the other waits for it.
    const waiting = await waitFor('a trial pending in the queue with a reason', () =>
      trialsOf(s.db, 'queued').find(
        (t) => t.state === 'running' && t.placement?.queue === 'pending' && t.placement.reason,
      ),
    )
    expect(waiting.placement).toMatchObject({
      executor: 'slurm',
      jobId: expect.stringMatching(/^\d+$/),
    })
    const shown = await runCli(['show', 'queued', '--db', s.db])
    expect(shown.stdout).toMatch(
      new RegExp(
        `#${waiting.number} pending \\((Resources|Priority)\\)[^\\n]*\\[Slurm job ${waiting.placement!.jobId}\\]`,
      ),
    )
    const run = await cli.result
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(run.stdout).toMatch(
      /trial \d pending \((Resources|Priority)\) in Slurm's queue, job \d+/,
    )
    const trials = trialsOf(s.db, 'queued')
    expect(trials.map((t) => t.state)).toEqual(['complete', 'complete'])
    expect(trials.every((t) => t.placement?.queue === 'running' && t.placement.node)).toBe(true)
  }, 180_000)

  it('fails the trial whose job is cancelled from outside with the reason, and goes on', async () => {
    const s = pacedStudy(
      'cancelled',
      { STEPS: '30', SLOW_TRIALS: '0', SLOW_MS: '1000' },
      { budget: { trials: 3 } },
    )
    const cli = startCli(['run', s.file, '--db', s.db])
    const running = await waitFor('trial 0 on a node', () =>
      trialsOf(s.db, 'cancelled').find((t) => t.number === 0 && t.placement?.node),
    )
    scancel(running.placement!.jobId!)
    const run = await cli.result
    expect(run.code, run.stdout + run.stderr).toBe(0)
    const trials = trialsOf(s.db, 'cancelled')
    expect(trials.map((t) => t.state)).toEqual(['failed', 'complete', 'complete'])
    expect(trials[0].error).toMatch(
      new RegExp(`^Slurm cancelled job ${running.placement!.jobId} on \\S+ at \\S+ \\(scancel\\)$`),
    )
    // what the command and srun printed is in the trial's log
    const { openStudyStore } = await import('../../src/main/store/openStudyStore.ts')
    const store = openStudyStore(s.db)
    const log = store.getTrialLog(trials[1].id)
    expect(log.stdout).toMatch(/trial 1 runs on \S+/)
    expect(log.stderr).toMatch(/trial 1 stderr line/)
    expect(store.getTrialLog(trials[0].id).stderr).toMatch(/CANCELLED AT/)
    store.close()
  }, 180_000)

  it('ends the jobs of a stopped study at once', async () => {
    const s = pacedStudy(
      'stopped',
      { STEPS: '60', SLOW_TRIALS: '0,1', SLOW_MS: '1000' },
      { budget: { trials: 6 }, concurrency: 2 },
    )
    const cli = startCli(['run', s.file, '--db', s.db])
    await waitFor('two trials on a node', () => {
      const on = trialsOf(s.db, 'stopped').filter((t) => t.state === 'running' && t.placement?.node)
      return on.length === 2
    })
    const asked = Date.now()
    expect((await runCli(['stop', 'stopped', '--db', s.db])).code).toBe(0)
    const run = await cli.result
    expect(Date.now() - asked).toBeLessThan(40_000)
    expect(run.stdout).toMatch(/study "stopped" stopped/)
    const { study, trials } = readStudy(s.db, 'stopped')!
    expect(trials.map((t) => t.state)).toEqual(['interrupted', 'interrupted'])
    expect(await noJobsLeft(study)).toEqual([])
  }, 180_000)

  it("ends a pruned trial's job while the study goes on", async () => {
    const s = pacedStudy(
      'pruned',
      { STEPS: '20', SLOW_TRIALS: '1,2', SLOW_MS: '700', BAD_TRIALS: '1' },
      { budget: { trials: 3 }, pruner: { kind: 'median', minTrials: 1 } },
    )
    const cli = startCli(['run', s.file, '--db', s.db])
    const pruned = await waitFor('trial 1 pruned', () =>
      trialsOf(s.db, 'pruned').find((t) => t.number === 1 && t.state === 'pruned'),
    )
    const study = readStudy(s.db, 'pruned')!.study
    await waitFor("the pruned trial's job gone from the queue, trial 2 still running", async () => {
      const jobs = await studyJobs(study)
      const two = trialsOf(s.db, 'pruned').find((t) => t.number === 2)
      return !jobs.some((j) => j.jobId === pruned.placement!.jobId) && two?.state === 'running'
    })
    const run = await cli.result
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(trialsOf(s.db, 'pruned').map((t) => t.state)).toEqual(['complete', 'pruned', 'complete'])
    expect(await noJobsLeft(study)).toEqual([])
  }, 180_000)

  it('resumes a runner killed outright: no job left behind, no complete trial lost', async () => {
    const s = pacedStudy(
      'killed',
      { STEPS: '4', SLEEP_MS: '400' },
      // three at a time on two CPUs: one always waits in the queue
      { budget: { trials: 8 }, concurrency: 3 },
    )
    const cli = startCli(['run', s.file, '--db', s.db])
    await waitFor('two complete trials and one in the queue or on a node', () => {
      const trials = trialsOf(s.db, 'killed')
      return (
        trials.filter((t) => t.state === 'complete').length >= 2 &&
        trials.some((t) => t.state === 'running' && t.placement?.jobId)
      )
    })
    cli.child.kill('SIGKILL')
    await cli.result
    const before = trialsOf(s.db, 'killed').filter((t) => t.state === 'complete')
    const resumed = await runCli(['resume', 'killed', '--db', s.db])
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0)
    const { study, trials } = readStudy(s.db, 'killed')!
    expect(trials.filter((t) => t.state === 'complete')).toHaveLength(8)
    for (const t of before)
      expect(trials.find((x) => x.number === t.number)).toMatchObject({
        state: 'complete',
        value: t.value,
        params: t.params,
      })
    expect(await noJobsLeft(study)).toEqual([])
  }, 240_000)
})
