// Runs in main: a worker started on a cluster node through srun, one job per worker. The worker protocol runs
// over srun's stdin and stdout (lineFrames.ts); srun's own lines on stderr give the job's queue state and,
// when Slurm ends the job, its reason; the worker's stderr is the trial's log. Killing it is scancel.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createFrameReader, encodeFrame } from '../../shared/lineFrames.ts'
import type { SlurmExecutorSpec } from '../../shared/executorSpec.ts'
import type { TrialPlacement } from '../../shared/trialPlacement.ts'
import type { WorkerMessage, WorkerRole } from '../../shared/workerProtocol.ts'
import { watchStderr } from '../workers/stderrLines.ts'
import { workerEntry } from '../workers/workerEntry.ts'
import type { WorkerExit, WorkerHandle, WorkerHost } from '../workers/workerHost.ts'
import { cancelJobs, pendingReason, slurmEnv } from './slurmCommands.ts'
import { foldSrunNews, readSrunLine, type SrunNews, type SrunState } from './srunLines.ts'

/** How long srun gets to end after scancel before it is killed. */
export const SRUN_KILL_GRACE_MS = 10_000
/** How often a pending job's reason is asked of squeue. */
export const PENDING_REASON_POLL_MS = 10_000

/** What srun runs on the node: Node.js, the tsx loader (when run from source) and the worker entry. */
export function workerCommand(role: WorkerRole): {
  argv: string[]
  node: string
  entry: string
  loader: string | null
} {
  const entry = workerEntry('./worker.js', '../../worker/index.ts')
  const loader = entry.execArgv.find((a) => a.startsWith('file:'))
  return {
    argv: [process.execPath, ...entry.execArgv, entry.file, role],
    node: process.execPath,
    entry: entry.file,
    loader: loader ? fileURLToPath(loader) : null,
  }
}

/** srun's arguments for one worker: one task on one node, the executor's resources, its extra options last. */
export function srunArgs(
  executor: SlurmExecutorSpec,
  jobName: string,
  command: string[],
): string[] {
  const args = [
    `--job-name=${jobName}`,
    '--ntasks=1',
    '--nodes=1',
    `--cpus-per-task=${executor.cpusPerTrial}`,
    '--export=ALL',
  ]
  if (executor.partition) args.push(`--partition=${executor.partition}`)
  if (executor.time) args.push(`--time=${executor.time}`)
  if (executor.memory) args.push(`--mem=${executor.memory}`)
  if (executor.account) args.push(`--account=${executor.account}`)
  if (executor.gpusPerTrial > 0) args.push(`--gpus=${executor.gpusPerTrial}`)
  return [...args, ...executor.extra, ...command]
}

export interface SrunWorkerOptions {
  executor: SlurmExecutorSpec
  role: WorkerRole
  /** The job's name in squeue (hpo-…): how a later run finds the job again. */
  jobName: string
  env?: Record<string, string>
}

export function startSrunWorker(o: SrunWorkerOptions): WorkerHandle {
  const electron: Record<string, string> = process.versions.electron
    ? { ELECTRON_RUN_AS_NODE: '1' }
    : {}
  const child = spawn('srun', srunArgs(o.executor, o.jobName, workerCommand(o.role).argv), {
    env: slurmEnv({
      ...o.env,
      ...electron,
      HPO_WORKER_TRANSPORT: 'stdio',
      HPO_WORKER_ROLE: o.role,
    }),
    stdio: ['pipe', 'pipe', 'pipe'],
    // Ctrl-C in a terminal reaches main only; main decides how jobs end.
    detached: true,
  })
  child.stdin.on('error', () => {}) // srun is gone: its exit is reported
  const stderr = watchStderr(child.stderr)
  const strayListeners = new Set<(line: string) => void>()
  const messageListeners: ((m: WorkerMessage) => void)[] = []
  const placementListeners = new Set<(p: TrialPlacement) => void>()
  const exitListeners: ((exit: WorkerExit) => void)[] = []
  let state: SrunState = { jobId: null, queue: 'submitted', ended: null }
  let reason: string | null = null
  let node: string | null = null
  let exited: WorkerExit | null = null
  let spawnError: string | null = null
  let cancelled = false
  const cancel = (): void => {
    if (exited || cancelled) return
    cancelled = true
    void cancelJobs(state.jobId ? { ids: [state.jobId] } : { name: o.jobName }).catch(() => {})
    child.kill('SIGTERM')
    setTimeout(() => !exited && child.kill('SIGKILL'), SRUN_KILL_GRACE_MS).unref()
  }

  const placement = (): TrialPlacement => ({
    executor: 'slurm',
    jobName: o.jobName,
    jobId: state.jobId,
    queue: state.queue,
    reason: state.queue === 'pending' ? reason : null,
    node,
  })
  const publish = (): void => {
    const p = placement()
    for (const l of placementListeners) l(p)
  }
  const update = (news: SrunNews, onNode: string | null = node): void => {
    const before = JSON.stringify(placement())
    state = foldSrunNews(state, news)
    node = onNode
    if (JSON.stringify(placement()) !== before) publish()
  }

  // While the job waits, Slurm's reason (Resources, Priority…) comes from squeue, asked now and then.
  const askReason = async (): Promise<void> => {
    if (exited || state.queue !== 'pending' || !state.jobId) return
    const now = await pendingReason(state.jobId)
    if (now !== reason && state.queue === 'pending' && !exited) {
      reason = now
      publish()
    }
  }
  const reasonTimer = setInterval(() => void askReason(), PENDING_REASON_POLL_MS)
  reasonTimer.unref()

  stderr.onLine((line) => {
    const news = readSrunLine(line.trim())
    if (!news) return
    update(news)
    if (news.queue === 'pending') void askReason()
  })
  const reader = createFrameReader(
    (m) => {
      const message = m as WorkerMessage
      if (message.kind === 'event' && message.type === 'ready') {
        const jobId = message.jobId ? { jobId: message.jobId } : {}
        update({ queue: 'running', ...jobId }, message.node ?? node)
      }
      for (const l of messageListeners) l(message)
    },
    (line) => strayListeners.forEach((l) => l(line)),
  )
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (chunk: string) => reader.push(chunk))

  const finish = (code: number | null, signal: string | null): void => {
    if (exited) return
    reader.end()
    clearInterval(reasonTimer)
    const ended = state.ended ?? undefined
    exited = {
      code,
      signal,
      reason: ended?.reason ?? spawnError,
      stderrTail: stderr.tail(),
      ...(ended ? { ended } : {}),
    }
    for (const l of exitListeners) l(exited)
  }
  child.on('error', (e) => {
    spawnError =
      (e as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'srun is not on PATH: run where Slurm is installed'
        : `srun did not start: ${e.message}`
    if (child.pid === undefined) finish(null, null)
  })
  child.on('close', (code, signal) => finish(code, signal))

  return {
    pid: child.pid,
    remote: true,
    send(message) {
      if (!exited && child.stdin.writable) child.stdin.write(encodeFrame(message))
    },
    onMessage: (listener) => void messageListeners.push(listener),
    onStderr(listener) {
      strayListeners.add(listener)
      const stop = stderr.onLine(listener)
      return () => {
        strayListeners.delete(listener)
        stop()
      }
    },
    onPlacement(listener) {
      placementListeners.add(listener)
      listener(placement())
      return () => placementListeners.delete(listener)
    },
    onExit(listener) {
      if (exited) listener(exited)
      else exitListeners.push(listener)
    },
    /**
     * SIGTERM: ends its stdin, so an idle worker leaves and the job ends as done; scancel after the grace
     * period. SIGKILL, or a job not yet on a node: scancel now.
     */
    kill(signal = 'SIGTERM') {
      if (exited || cancelled) return
      child.stdin.end()
      if (signal === 'SIGKILL' || state.queue !== 'running') cancel()
      else setTimeout(cancel, SRUN_KILL_GRACE_MS).unref()
    },
  }
}

/** A WorkerHost whose workers are Slurm jobs, each named by `jobName` when it starts. */
export function createSlurmHost(
  executor: SlurmExecutorSpec,
  jobName: (role: WorkerRole) => string,
): WorkerHost {
  return {
    spawn: (role, env) => startSrunWorker({ executor, role, jobName: jobName(role), env }),
  }
}
