// Test helpers of the Slurm suites: the cluster their global setup started, the jobs of a study in its queue,
// and a study's trials as the database has them while the CLI runs it.
import { execFileSync } from 'node:child_process'
import { inject } from 'vitest'
import { listJobs, type SlurmJob } from '../../src/main/slurm/slurmCommands.ts'
import { slurmJobPrefix } from '../../src/main/slurm/slurmTrials.ts'
import { openStudyStore } from '../../src/main/store/openStudyStore.ts'
import type { StudyRecord } from '../../src/shared/study.ts'
import type { TrialRecord } from '../../src/shared/trial.ts'
import { sleep } from './cli.ts'

/** Points this process (and every srun, squeue and CLI it starts) at the test cluster. */
export function useTestCluster(): string {
  const conf = inject('slurmConf')
  process.env.SLURM_CONF = conf
  return conf
}

/** The study and its trials, read from the database another process writes. */
export function readStudy(
  db: string,
  name: string,
): { study: StudyRecord; trials: TrialRecord[] } | null {
  const store = openStudyStore(db)
  try {
    const study = store.getStudy(name)
    return study ? { study, trials: store.listTrials(study.id) } : null
  } finally {
    store.close()
  }
}

/** Waits until `probe` returns a value (not undefined/null/false), or fails saying what it waited for. */
export async function waitFor<T>(
  what: string,
  probe: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  timeoutMs = 90_000,
): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const v = await probe()
    if (v !== null && v !== undefined && v !== false) return v
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(200)
  }
}

/** The study's jobs in Slurm's queue (completing ones included). */
export const studyJobs = (study: StudyRecord): Promise<SlurmJob[]> =>
  listJobs(slurmJobPrefix(study))

/** Waits until Slurm lists no job of the study; returns what it listed last. */
export async function noJobsLeft(study: StudyRecord, timeoutMs = 20_000): Promise<SlurmJob[]> {
  const until = Date.now() + timeoutMs
  let jobs = await studyJobs(study)
  while (jobs.length && Date.now() < until) {
    await sleep(250)
    jobs = await studyJobs(study)
  }
  return jobs
}

export const scancel = (jobId: string): void => void execFileSync('scancel', [jobId])
