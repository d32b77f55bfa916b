// Runs in main (plain Node or Electron). The analysis worker as its own Node child, so importance and
// downsampling never wait behind training: one request in flight, a time budget each, restarted if it dies.
import os from 'node:os'
import { forkWorker } from './forkWorker.ts'
import { workerEntry } from './workerEntry.ts'
import type {
  AnalysisMessage,
  AnalysisRequest,
  AnalysisRequestBody,
  AnalysisResultMap,
} from '../../shared/analysisProtocol.ts'

export type AnalysisType = AnalysisRequestBody['type']

export class AnalysisError extends Error {
  constructor(
    /** BAD_REQUEST / INTERNAL from the worker; TIMEOUT past the budget; WORKER_EXITED when it died; CLOSED after close(). */
    readonly code: 'BAD_REQUEST' | 'INTERNAL' | 'TIMEOUT' | 'WORKER_EXITED' | 'CLOSED',
    message: string,
  ) {
    super(message)
    this.name = 'AnalysisError'
  }
}

/** One analysis worker process, as the host sees it (a Node child here; tests may hand in another). */
export interface AnalysisProcess {
  readonly pid: number | undefined
  send(request: AnalysisRequest): void
  onMessage(listener: (message: AnalysisMessage) => void): void
  onExit(listener: (code: number | null, signal: string | null, stderrTail: string) => void): void
  kill(): void
}

export interface AnalysisHostOptions {
  /** Starts a worker process (default: a Node child running src/worker/analysis/analysisWorker.ts). */
  spawn?: () => AnalysisProcess
  /** Budget of a request, from when the worker gets it, when the caller gives none. */
  defaultTimeoutMs?: number
  /** Start the process now rather than on the first request (a warm worker answers the first view fast). */
  eager?: boolean
}

export interface AnalysisHost {
  /**
   * Runs one request. Requests run one at a time in the order asked; past `timeoutMs` the worker is
   * killed (it cannot be interrupted otherwise), the request fails with TIMEOUT and the next one runs
   * on a fresh worker.
   */
  request<K extends AnalysisType>(
    body: Extract<AnalysisRequestBody, { type: K }>,
    options?: { timeoutMs?: number },
  ): Promise<AnalysisResultMap[K]>
  /** Pid of the live worker, if one runs. */
  readonly pid: number | undefined
  /** Workers started so far (1 + restarts). */
  readonly starts: number
  close(): void
}

export const DEFAULT_ANALYSIS_TIMEOUT_MS = 30_000

/**
 * The analysis worker as a detached Node child (its own process group: Ctrl-C reaches main only).
 * `niceness` (0–19) lowers its CPU priority, so seconds of importance fitting never slow the UI.
 */
export function spawnAnalysisChild(niceness = 0): AnalysisProcess {
  const entry = workerEntry('./analysisWorker.js', '../../worker/analysis/analysisWorker.ts')
  const worker = forkWorker(entry)
  const { child } = worker
  if (niceness > 0 && child.pid !== undefined)
    try {
      os.setPriority(child.pid, niceness)
    } catch {
      // Not permitted here: it runs at normal priority, which is only slower for the UI.
    }
  // An idle worker must not keep main alive (a request in flight holds its own timer); it exits on
  // 'disconnect' when main goes.
  child.unref()
  ;(child.channel as { unref?: () => void } | undefined)?.unref?.()
  return {
    pid: child.pid,
    send(request) {
      if (child.connected) child.send(request)
    },
    onMessage(listener) {
      child.on('message', (m) => listener(m as AnalysisMessage))
    },
    onExit(listener) {
      child.on('exit', (code, signal) => listener(code, signal, worker.stderr.tail() ?? ''))
    },
    kill() {
      worker.kill('SIGKILL')
    },
  }
}

interface Pending {
  id: number
  body: AnalysisRequestBody
  timeoutMs: number
  resolve: (value: never) => void
  reject: (error: Error) => void
}

export function createAnalysisHost(options: AnalysisHostOptions = {}): AnalysisHost {
  const spawn = options.spawn ?? spawnAnalysisChild
  const defaultTimeout = options.defaultTimeoutMs ?? DEFAULT_ANALYSIS_TIMEOUT_MS
  const queue: Pending[] = []
  let worker: AnalysisProcess | null = null
  // Requests wait for the worker's `ready`, so its start-up (tsx compiling) is not charged to a budget.
  let ready = false
  let inFlight: Pending | null = null
  let timer: ReturnType<typeof setTimeout> | null = null
  let nextId = 1
  let starts = 0
  let closed = false

  const settle = (): Pending | null => {
    const p = inFlight
    inFlight = null
    if (timer) clearTimeout(timer)
    timer = null
    return p
  }

  const start = (): AnalysisProcess => {
    const w = spawn()
    starts++
    ready = false
    w.onMessage((m) => {
      if (w !== worker) return
      if (m.kind === 'event') {
        ready = true
        pump()
        return
      }
      if (!inFlight || m.id !== inFlight.id) return
      const p = settle()!
      if (m.ok) p.resolve(m.result as never)
      else p.reject(new AnalysisError(m.error.code, m.error.message))
      pump()
    })
    w.onExit((code, signal, stderrTail) => {
      if (w !== worker) return
      worker = null
      const how = `${signal ? `signal ${signal}` : `exit code ${code}`}${stderrTail ? `: ${stderrTail}` : ''}`
      const p = settle()
      p?.reject(
        new AnalysisError('WORKER_EXITED', `analysis worker ended (${how}) during ${p.body.type}`),
      )
      if (!ready) {
        // It died starting up: restarting would only loop. Fail what waits; the next request tries again.
        const err = new AnalysisError('WORKER_EXITED', `analysis worker failed to start (${how})`)
        for (const q of queue.splice(0)) q.reject(err)
        return
      }
      pump()
    })
    return w
  }

  const pump = (): void => {
    if (closed || inFlight || queue.length === 0) return
    worker ??= start()
    if (!ready) return
    const p = queue.shift()!
    inFlight = p
    const w = worker
    timer = setTimeout(() => {
      if (inFlight !== p) return
      settle()
      p.reject(
        new AnalysisError('TIMEOUT', `${p.body.type} took longer than ${p.timeoutMs} ms; stopped`),
      )
      // A computation cannot be interrupted: the worker goes, the queue continues on a new one.
      worker = null
      w.kill()
      pump()
    }, p.timeoutMs)
    w.send({ ...p.body, id: p.id } as AnalysisRequest)
  }

  if (options.eager) worker = start()

  return {
    request(body, opts) {
      if (closed) return Promise.reject(new AnalysisError('CLOSED', 'the analysis host is closed'))
      return new Promise((resolve, reject) => {
        queue.push({
          id: nextId++,
          body,
          timeoutMs: opts?.timeoutMs ?? defaultTimeout,
          resolve: resolve as (v: never) => void,
          reject,
        })
        pump()
      })
    },
    get pid() {
      return worker?.pid
    },
    get starts() {
      return starts
    },
    close() {
      if (closed) return
      closed = true
      const p = settle()
      const err = new AnalysisError('CLOSED', 'the analysis host is closed')
      p?.reject(err)
      for (const q of queue.splice(0)) q.reject(err)
      worker?.kill()
      worker = null
    },
  }
}
