// Runs in main: before a study's first trial goes to Slurm, checks what a trial needs there — srun on PATH,
// the partition known to Slurm, and every path the trial reads or writes visible from a node, asked from a
// node itself (one short job with the trial's own srun options). Each problem comes back as one sentence.
import type { SlurmExecutorSpec } from '../../shared/executorSpec.ts'
import { runSlurm } from './slurmCommands.ts'
import { srunArgs } from './slurmHost.ts'

export interface NeededPath {
  path: string
  /** What it is, for the message: "the data set", "the worker entry"… */
  what: string
  /** r: readable; w: a writable folder; x: executable (a program, or a folder to enter). */
  mode: 'r' | 'w' | 'x'
}

/** How long the check job may wait for a node before the check is skipped with a warning. */
export const PREFLIGHT_WAIT_S = 60

export interface PreflightResult {
  /** What stops the study: nothing may be sent to Slurm until it is fixed. */
  problems: string[]
  /** What could not be checked (no node free within PREFLIGHT_WAIT_S). */
  warnings: string[]
}

/** A shell script printing "MISSING <mode> <index>" for each path a node cannot use as needed. */
export function checkScript(paths: readonly NeededPath[]): string {
  const tests = paths.map((p, i) => `test -${p.mode} "$${i + 1}" || echo "MISSING ${p.mode} ${i}"`)
  return [...tests, `echo "NODE $(hostname)"`].join('; ')
}

const MODE_WORDS = { r: 'readable', w: 'a writable folder', x: 'executable' } as const

async function partitionProblem(partition: string): Promise<string | null> {
  const r = await runSlurm('sinfo', ['-h', '-p', partition, '-o', '%P'])
  if (!r.ok) return `sinfo failed: ${r.stderr}`
  if (r.stdout.trim()) return null
  const all = await runSlurm('sinfo', ['-h', '-o', '%P'])
  const known = all.stdout
    .split('\n')
    .filter(Boolean)
    .map((p) => p.replace(/\*$/, ' (default)'))
    .join(', ')
  return `executor.partition: Slurm has no partition "${partition}"${known ? ` (it has ${known})` : ''}`
}

/** Whether Slurm's client commands run here: a problem in words, or null. */
export async function clientProblem(): Promise<string | null> {
  const version = await runSlurm('srun', ['--version'])
  return version.ok ? null : `srun cannot run here: ${version.stderr}`
}

/** Checks the partition and the paths from a node; `jobName` names the check job in squeue. */
export async function slurmPreflight(
  executor: SlurmExecutorSpec,
  paths: readonly NeededPath[],
  jobName: string,
): Promise<PreflightResult> {
  if (executor.partition) {
    const problem = await partitionProblem(executor.partition)
    if (problem) return { problems: [problem], warnings: [] }
  }
  const args = srunArgs(executor, jobName, [
    'sh',
    '-c',
    checkScript(paths),
    'preflight',
    ...paths.map((p) => p.path),
  ])
  const r = await runSlurm('srun', [`--immediate=${PREFLIGHT_WAIT_S}`, ...args], 0)
  const node = /^NODE (.+)$/m.exec(r.stdout)?.[1] ?? 'a node'
  if (!r.ok && !/^NODE /m.test(r.stdout)) {
    if (
      /Unable to allocate resources: .*(immediate|busy|timeout|Resource temporarily)/i.test(
        r.stderr,
      )
    )
      return {
        problems: [],
        warnings: [
          `no node was free within ${PREFLIGHT_WAIT_S} s to check the paths trials use; trials wait in Slurm's queue`,
        ],
      }
    return {
      problems: [`Slurm refused the check job: ${r.stderr || `srun exit ${r.stdout}`}`],
      warnings: [],
    }
  }
  const problems = [...r.stdout.matchAll(/^MISSING ([rwx]) (\d+)$/gm)].map(([, mode, i]) => {
    const p = paths[Number(i)]
    return `${p.what} is not ${MODE_WORDS[mode as NeededPath['mode']]} on ${node}: ${p.path}`
  })
  return { problems, warnings: [] }
}
