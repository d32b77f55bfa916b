// Runs in main: a worker started on a cluster node through srun, one job per worker. The worker protocol runs
// over srun's stdin and stdout (lineFrames.ts); srun's own lines on stderr give the job's queue state and,
// when Slurm ends the job, its reason; the worker's stderr is the trial's log. Killing it is scancel.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createFrameReader, encodeFrame, type FrameReader } from '../../shared/lineFrames.ts'
import type { SlurmExecutorSpec } from '../../shared/executorSpec.ts'
import type { TrialPlacement } from '../../shared/trialPlacement.ts'
import type { WorkerMessage, WorkerRole } from '../../shared/workerProtocol.ts'
import { watchStderr, type StderrLines } from '../workers/stderrLines.ts'
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

/** One srun job as it is known here: its queue state, where it runs, how it ended, who listens. */
interface SrunJob {
  o: SrunWorkerOptions
  child: ChildProcessWithoutNullStreams
  stderr: StderrLines
  reader: FrameReader
  reasonTimer: NodeJS.Timeout
  strayListeners: Set<(line: string) => void>
  messageListeners: ((m: WorkerMessage) => void)[]
  placementListeners: Set<(p: TrialPlacement) => void>
  exitListeners: ((exit: WorkerExit) => void)[]
  state: SrunState
  reason: string | null
  node: string | null
  exited: WorkerExit | null
  spawnError: string | null
  cancelled: boolean
}

function spawnSrun(o: SrunWorkerOptions): ChildProcessWithoutNullStreams {
  const electron: Record<string, string> = process.versions.electron
    ? { ELECTRON_RUN_AS_NODE: '1' }
    : {}
  return spawn('srun', srunArgs(o.executor, o.jobName, workerCommand(o.role).argv), {
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
}

function cancel(job: SrunJob): void {
  if (job.exited || job.cancelled) return
  job.cancelled = true
  void cancelJobs(job.state.jobId ? { ids: [job.state.jobId] } : { name: job.o.jobName }).catch(
    () => {},
  )
  job.child.kill('SIGTERM')
  setTimeout(() => !job.exited && job.child.kill('SIGKILL'), SRUN_KILL_GRACE_MS).unref()
}

function placement(job: SrunJob): TrialPlacement {
  return {
    executor: 'slurm',
    jobName: job.o.jobName,
    jobId: job.state.jobId,
    queue: job.state.queue,
    reason: job.state.queue === 'pending' ? job.reason : null,
    node: job.node,
  }
}

function publish(job: SrunJob): void {
  const p = placement(job)
  for (const l of job.placementListeners) l(p)
}

function update(job: SrunJob, news: SrunNews, onNode: string | null = job.node): void {
  const before = JSON.stringify(placement(job))
  job.state = foldSrunNews(job.state, news)
  job.node = onNode
  if (JSON.stringify(placement(job)) !== before) publish(job)
}

/** While the job waits, Slurm's reason (Resources, Priority…) comes from squeue, asked now and then. */
async function askReason(job: SrunJob): Promise<void> {
  if (job.exited || job.state.queue !== 'pending' || !job.state.jobId) return
  const now = await pendingReason(job.state.jobId)
  if (now !== job.reason && job.state.queue === 'pending' && !job.exited) {
    job.reason = now
    publish(job)
  }
}

function onSrunLine(job: SrunJob, line: string): void {
  const news = readSrunLine(line.trim())
  if (!news) return
  update(job, news)
  if (news.queue === 'pending') void askReason(job)
}

function onFrame(job: SrunJob, m: unknown): void {
  const message = m as WorkerMessage
  if (message.kind === 'event' && message.type === 'ready') {
    const jobId = message.jobId ? { jobId: message.jobId } : {}
    update(job, { queue: 'running', ...jobId }, message.node ?? job.node)
  }
  for (const l of job.messageListeners) l(message)
}

function finish(job: SrunJob, code: number | null, signal: string | null): void {
  if (job.exited) return
  job.reader.end()
  clearInterval(job.reasonTimer)
  const ended = job.state.ended ?? undefined
  const exited: WorkerExit = {
    code,
    signal,
    reason: ended?.reason ?? job.spawnError,
    stderrTail: job.stderr.tail(),
    ...(ended ? { ended } : {}),
  }
  job.exited = exited
  for (const l of job.exitListeners) l(exited)
}

function spawnErrorText(e: Error): string {
  return (e as NodeJS.ErrnoException).code === 'ENOENT'
    ? 'srun is not on PATH: run where Slurm is installed'
    : `srun did not start: ${e.message}`
}

function watchJob(o: SrunWorkerOptions, child: ChildProcessWithoutNullStreams): SrunJob {
  const job: SrunJob = {
    o,
    child,
    stderr: watchStderr(child.stderr),
    reader: createFrameReader(
      (m) => onFrame(job, m),
      (line) => job.strayListeners.forEach((l) => l(line)),
    ),
    reasonTimer: setInterval(() => void askReason(job), PENDING_REASON_POLL_MS),
    strayListeners: new Set(),
    messageListeners: [],
    placementListeners: new Set(),
    exitListeners: [],
    state: { jobId: null, queue: 'submitted', ended: null },
    reason: null,
    node: null,
    exited: null,
    spawnError: null,
    cancelled: false,
  }
  job.reasonTimer.unref()
  job.stderr.onLine((line) => onSrunLine(job, line))
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (chunk: string) => job.reader.push(chunk))
  child.on('error', (e) => {
    job.spawnError = spawnErrorText(e)
    if (child.pid === undefined) finish(job, null, null)
  })
  child.on('close', (code, signal) => finish(job, code, signal))
  return job
}

function workerHandle(job: SrunJob): WorkerHandle {
  const { child } = job
  return {
    pid: child.pid,
    remote: true,
    send(message) {
      if (!job.exited && child.stdin.writable) child.stdin.write(encodeFrame(message))
    },
    onMessage: (listener) => void job.messageListeners.push(listener),
    onStderr(listener) {
      job.strayListeners.add(listener)
      const stop = job.stderr.onLine(listener)
      return () => {
        job.strayListeners.delete(listener)
        stop()
      }
    },
    onPlacement(listener) {
      job.placementListeners.add(listener)
      listener(placement(job))
      return () => job.placementListeners.delete(listener)
    },
    onExit(listener) {
      if (job.exited) listener(job.exited)
      else job.exitListeners.push(listener)
    },
    /**
     * SIGTERM: ends its stdin, so an idle worker leaves and the job ends as done; scancel after the grace
     * period. SIGKILL, or a job not yet on a node: scancel now.
     */
    kill(signal = 'SIGTERM') {
      if (job.exited || job.cancelled) return
      child.stdin.end()
      if (signal === 'SIGKILL' || job.state.queue !== 'running') cancel(job)
      else setTimeout(() => cancel(job), SRUN_KILL_GRACE_MS).unref()
    },
  }
}

export function startSrunWorker(o: SrunWorkerOptions): WorkerHandle {
  const child = spawnSrun(o)
  child.stdin.on('error', () => {}) // srun is gone: its exit is reported
  return workerHandle(watchJob(o, child))
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
