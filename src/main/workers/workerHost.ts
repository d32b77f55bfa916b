// Runs in main. How worker processes are started: a Node child (headless) or an Electron utility process.
import type { TrialPlacement } from '../../shared/trialPlacement.ts'
import type { WorkerMessage, WorkerRequest, WorkerRole } from '../../shared/workerProtocol.ts'

export interface WorkerExit {
  code: number | null
  signal: string | null
  /** Host-specific reason ("oom", "crashed", "killed"), when the host knows one. */
  reason: string | null
  /** The last lines the worker wrote on stderr (a native abort's message). */
  stderrTail?: string
  /**
   * The executor ended it (Slurm: scancel, its time limit, a node failure): `reason` is the trial's error as
   * it stands; `retry` when the trial is not to blame and may run again (node failure, preemption).
   */
  ended?: { reason: string; retry: boolean }
}

/** One live worker process. Messages are structured-clone/advanced-serialization data (Uint8Array allowed). */
export interface WorkerHandle {
  readonly pid: number | undefined
  /** It runs on another machine (a cluster node): process groups it reports are not this machine's. */
  readonly remote?: boolean
  /** Where its executor runs it, on every change, the current one first; absent for local workers. */
  onPlacement?(listener: (placement: TrialPlacement) => void): () => void
  send(message: WorkerRequest): void
  onMessage(listener: (message: WorkerMessage) => void): void
  /** Each line it writes on stderr (native libraries' warnings); returns the unsubscribe. */
  onStderr(listener: (line: string) => void): () => void
  onExit(listener: (exit: WorkerExit) => void): void
  /** Lets main exit while this worker idles (a Node child's handle and IPC channel); absent where moot. */
  unref?(): void
  /** SIGTERM by default; the worker's whole process group where the host supports it. */
  kill(signal?: NodeJS.Signals): void
}

export interface WorkerHost {
  /** Starts a worker for a role; `env` is added to the worker's environment (CUDA_VISIBLE_DEVICES…). */
  spawn(role: WorkerRole, env?: Record<string, string>): WorkerHandle
}
