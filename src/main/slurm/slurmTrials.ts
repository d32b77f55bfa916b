// Runs in main: a study's trials as Slurm jobs. Every job is named hpo-<key>-<study>-<trial>, the key drawn
// from the study's id and creation time, so the jobs of one study are found again from any process: before a
// run starts, jobs an earlier run left (a runner killed outright) are cancelled; when a run ends, none is left.
import { createHash } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { SlurmExecutorSpec } from '../../shared/executorSpec.ts'
import type { StudyRecord } from '../../shared/study.ts'
import type { DataDescription } from '../../shared/workerProtocol.ts'
import { createWorkerClient, type WorkerClient } from '../workers/workerClient.ts'
import { cancelJobs, listJobs } from './slurmCommands.ts'
import { startSrunWorker, workerCommand } from './slurmHost.ts'
import {
  clientProblem,
  slurmPreflight,
  type NeededPath,
  type PreflightResult,
} from './slurmPreflight.ts'

type StudyKey = Pick<StudyRecord, 'id' | 'createdAt' | 'name'>

/** What every job name of this study starts with. */
export function slurmJobPrefix(study: StudyKey): string {
  const key = createHash('sha256').update(`${study.id}|${study.createdAt}`).digest('hex')
  return `hpo-${key.slice(0, 6)}-`
}

export const slurmJobName = (study: StudyKey, trialNumber: number | 'check'): string =>
  `${slurmJobPrefix(study)}${study.name}-${trialNumber}`

/** Cancels every job of this study still in Slurm's queue; returns their ids. */
export async function cancelStudyJobs(study: StudyKey): Promise<string[]> {
  const jobs = await listJobs(slurmJobPrefix(study))
  await cancelJobs({ ids: jobs.map((j) => j.jobId) })
  return jobs.map((j) => j.jobId)
}

/** The files a trial of this study uses, which a node must see at the same paths. */
export function neededPaths(
  study: StudyRecord,
  data: readonly DataDescription[],
  artifactsDir: string,
): NeededPath[] {
  const command = workerCommand('trial')
  const paths: NeededPath[] = [
    { path: command.node, what: 'Node.js (the worker runs on it)', mode: 'x' },
    { path: command.entry, what: "HPO Studio's trial worker", mode: 'r' },
    ...(command.loader
      ? [{ path: command.loader, what: 'the tsx loader', mode: 'r' as const }]
      : []),
    { path: artifactsDir, what: 'the trial artifacts folder', mode: 'w' },
    ...data.map((d) => ({ path: d.path, what: `the ${d.role} data`, mode: 'r' as const })),
  ]
  const o = study.spec.objective
  if (o.kind === 'command') {
    if (o.cwd) paths.push({ path: o.cwd, what: "the command's folder (cwd)", mode: 'x' })
    const program = o.run[0]
    if (program.includes('/'))
      paths.push({ path: path.resolve(o.cwd ?? '.', program), what: 'the command', mode: 'x' })
  }
  return paths
}

/**
 * Before the first trial: checks that srun runs here, cancels what an earlier run left, then checks the
 * partition and the paths from a node. Problems stop the study; warnings are for the user.
 */
export async function prepareSlurmRun(
  study: StudyRecord,
  executor: SlurmExecutorSpec,
  data: readonly DataDescription[],
  artifactsDir: string,
): Promise<PreflightResult> {
  const warnings: string[] = []
  const noClient = await clientProblem()
  if (noClient) return { problems: [noClient], warnings }
  try {
    const left = await cancelStudyJobs(study)
    if (left.length)
      warnings.push(
        `cancelled ${left.length} Slurm job${left.length > 1 ? 's' : ''} an earlier run of this study left (${left.join(', ')})`,
      )
  } catch (e) {
    return { problems: [(e as Error).message], warnings }
  }
  mkdirSync(artifactsDir, { recursive: true })
  const check = await slurmPreflight(
    executor,
    neededPaths(study, data, artifactsDir),
    slurmJobName(study, 'check'),
  )
  return { problems: check.problems, warnings: [...warnings, ...check.warnings] }
}

/** The worker of one trial: a Slurm job of its own. */
export function startSlurmTrialWorker(
  study: StudyKey,
  executor: SlurmExecutorSpec,
  trialNumber: number,
): WorkerClient {
  return createWorkerClient(
    startSrunWorker({ executor, role: 'trial', jobName: slurmJobName(study, trialNumber) }),
  )
}
