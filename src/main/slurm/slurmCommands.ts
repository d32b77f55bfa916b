// Runs in main: Slurm's own commands (squeue, scancel, sinfo, srun), run as the user runs them; SLURM_CONF and
// the rest of the environment choose the cluster. Accounting (sacct) is not assumed: squeue and scancel only.
import { execFile } from 'node:child_process'
import os from 'node:os'

export interface SlurmResult {
  ok: boolean
  stdout: string
  /** The command's complaint, or why it did not run (not on PATH, timed out). */
  stderr: string
}

const SLURM_COMMAND_TIMEOUT_MS = 60_000

/** Runs a Slurm command; never throws. */
export function runSlurm(
  command: 'squeue' | 'scancel' | 'sinfo' | 'srun',
  args: string[],
  timeoutMs = SLURM_COMMAND_TIMEOUT_MS,
): Promise<SlurmResult> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, env: slurmEnv() }, (error, stdout, stderr) => {
      const code = (error as NodeJS.ErrnoException | null)?.code
      const why =
        code === 'ENOENT'
          ? `${command} is not on PATH (${process.env.PATH ?? ''}): install Slurm's client commands or run where they are`
          : error?.killed
            ? `${command} did not answer within ${Math.round(timeoutMs / 1000)} s`
            : ''
      resolve({ ok: !error, stdout, stderr: [why, stderr.trim()].filter(Boolean).join(': ') })
    })
  })
}

/**
 * The environment Slurm's commands run with: ours, less the variables of a job this process may itself run
 * in (an sbatch or salloc allocation), so each trial is a job of its own and not a step inside that one.
 */
export function slurmEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env))
    if (!/^SLURM_/.test(k) || k === 'SLURM_CONF') env[k] = v
  return { ...env, ...extra }
}

export const userName = (): string => os.userInfo().username

export interface SlurmJob {
  jobId: string
  name: string
  /** PENDING, RUNNING, COMPLETING… */
  state: string
  /** Why it waits (Resources, Priority…), "None" when it runs. */
  reason: string
}

/** This user's jobs whose names start with `prefix`. */
export async function listJobs(prefix: string): Promise<SlurmJob[]> {
  const r = await runSlurm('squeue', ['-h', '-u', userName(), '-o', '%i|%j|%T|%r'])
  if (!r.ok) throw new Error(`squeue failed: ${r.stderr}`)
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [jobId, name, state, reason] = line.split('|')
      return { jobId, name, state, reason }
    })
    .filter((j) => j.name.startsWith(prefix))
}

/** Why a pending job waits, or null when Slurm no longer lists it. */
export async function pendingReason(jobId: string): Promise<string | null> {
  const r = await runSlurm('squeue', ['-h', '-j', jobId, '-o', '%r'])
  const reason = r.ok ? r.stdout.trim() : ''
  return reason && reason !== 'None' ? reason : null
}

/** Cancels jobs by id, or the jobs of this user with one exact name. */
export async function cancelJobs(target: { ids: string[] } | { name: string }): Promise<void> {
  const args = 'ids' in target ? target.ids : ['-u', userName(), '-n', target.name]
  if ('ids' in target && target.ids.length === 0) return
  const r = await runSlurm('scancel', args)
  if (!r.ok) throw new Error(`scancel ${args.join(' ')} failed: ${r.stderr}`)
}
