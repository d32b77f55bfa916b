// Runs in main. How worker processes are started: a Node child (headless) or an Electron utility process.
import type { WorkerMessage, WorkerRequest, WorkerRole } from '../../shared/workerProtocol.ts'

export interface WorkerExit {
  code: number | null
  signal: string | null
  /** Host-specific reason ("oom", "crashed", "killed"), when the host knows one. */
  reason: string | null
  /** The last lines the worker wrote on stderr (a native abort's message). */
  stderrTail?: string
}

/** One live worker process. Messages are structured-clone/advanced-serialization data (Uint8Array allowed). */
export interface WorkerHandle {
  readonly pid: number | undefined
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
