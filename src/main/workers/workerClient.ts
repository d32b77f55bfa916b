// Runs in main: typed request/response over one worker process; requests still open when it dies are rejected.
import type {
  WorkerError,
  WorkerEvent,
  WorkerRequestBody,
  WorkerResultMap,
} from '../../shared/workerProtocol.ts'
import type { TrialPlacement } from '../../shared/trialPlacement.ts'
import type { WorkerExit, WorkerHandle } from './workerHost.ts'

export class WorkerRequestError extends Error {
  constructor(
    /** The worker's error code; WORKER_EXITED when it died; TIMEOUT / CLOSED from a host that budgets requests. */
    readonly code: WorkerError['code'] | 'WORKER_EXITED' | 'TIMEOUT' | 'CLOSED',
    message: string,
    readonly exit: WorkerExit | null = null,
  ) {
    super(message)
    this.name = 'WorkerRequestError'
  }
}

export function describeExit(exit: WorkerExit): string {
  const how =
    exit.reason && exit.reason !== 'killed'
      ? exit.reason
      : exit.signal
        ? `signal ${exit.signal}`
        : `exit code ${exit.code}`
  return `worker process ended (${how})${exit.stderrTail ? `: ${exit.stderrTail}` : ''}`
}

export interface WorkerClient {
  readonly pid: number | undefined
  /** It runs on another machine (a cluster node). */
  readonly remote: boolean
  readonly exited: WorkerExit | null
  request<K extends WorkerRequestBody['type']>(
    body: Extract<WorkerRequestBody, { type: K }>,
  ): Promise<WorkerResultMap[K]>
  onEvent(listener: (event: WorkerEvent) => void): () => void
  /** Each line the worker writes on stderr; returns the unsubscribe. */
  onStderr(listener: (line: string) => void): () => void
  onExit(listener: (exit: WorkerExit) => void): void
  /** Its executor placement as it changes (the current one first); returns the unsubscribe; null if none. */
  onPlacement(listener: (placement: TrialPlacement) => void): (() => void) | null
  kill(signal?: NodeJS.Signals): void
}

export function createWorkerClient(handle: WorkerHandle): WorkerClient {
  let nextId = 1
  let exited: WorkerExit | null = null
  const open = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  const eventListeners = new Set<(event: WorkerEvent) => void>()
  const exitListeners: ((exit: WorkerExit) => void)[] = []

  handle.onMessage((message) => {
    if (message.kind === 'event') {
      for (const l of eventListeners) l(message)
      return
    }
    const pending = open.get(message.id)
    if (!pending) return
    open.delete(message.id)
    if (message.ok) pending.resolve(message.result)
    else pending.reject(new WorkerRequestError(message.error.code, message.error.message))
  })
  handle.onExit((exit) => {
    exited = exit
    for (const p of open.values())
      p.reject(new WorkerRequestError('WORKER_EXITED', describeExit(exit), exit))
    open.clear()
    for (const l of exitListeners) l(exit)
  })

  return {
    get pid() {
      return handle.pid
    },
    get exited() {
      return exited
    },
    remote: handle.remote ?? false,
    request(body) {
      if (exited)
        return Promise.reject(new WorkerRequestError('WORKER_EXITED', describeExit(exited), exited))
      const id = nextId++
      return new Promise((resolve, reject) => {
        open.set(id, { resolve: resolve as (v: unknown) => void, reject })
        handle.send({ ...body, id })
      })
    },
    onEvent(listener) {
      eventListeners.add(listener)
      return () => eventListeners.delete(listener)
    },
    onStderr: (listener) => handle.onStderr(listener),
    onExit(listener) {
      if (exited) listener(exited)
      else exitListeners.push(listener)
    },
    onPlacement: (listener) => handle.onPlacement?.(listener) ?? null,
    kill(signal) {
      if (!exited) handle.kill(signal)
    },
  }
}
