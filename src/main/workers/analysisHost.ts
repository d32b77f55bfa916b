// Runs in main (plain Node or Electron). The analysis worker — role `analysis` of the one worker protocol,
// started by the same WorkerHost as the tuner and trial workers — so importance and downsampling never wait
// behind training: one request in flight, a time budget each, restarted if it dies.
import type { AnalysisRequestBody } from '../../shared/analysisProtocol.ts'
import type { WorkerResultMap } from '../../shared/workerProtocol.ts'
import { createWorkerClient, WorkerRequestError, type WorkerClient } from './workerClient.ts'
import type { WorkerHost } from './workerHost.ts'

export type AnalysisType = AnalysisRequestBody['type']

export interface AnalysisHostOptions {
  /** Starts the worker processes (a Node child host, or Electron's utility-process host). */
  workers: WorkerHost
  /** 0–19: a lower CPU priority, so seconds of importance fitting never slow the UI. */
  niceness?: number
  /** Budget of a request, from when the worker gets it, when the caller gives none. */
  defaultTimeoutMs?: number
  /** Start the process now rather than on the first request (a warm worker answers the first view fast). */
  eager?: boolean
}

export interface AnalysisHost {
  /**
   * Runs one request. Requests run one at a time in the order asked; past `timeoutMs` the worker is
   * killed (it cannot be interrupted otherwise), the request fails with TIMEOUT and the next one runs
   * on a fresh worker. Failures are WorkerRequestErrors.
   */
  request<K extends AnalysisType>(
    body: Extract<AnalysisRequestBody, { type: K }>,
    options?: { timeoutMs?: number },
  ): Promise<WorkerResultMap[K]>
  /** Pid of the live worker, if one runs. */
  readonly pid: number | undefined
  /** Workers started so far (1 + restarts). */
  readonly starts: number
  close(): void
}

export const DEFAULT_ANALYSIS_TIMEOUT_MS = 30_000

interface Pending {
  body: AnalysisRequestBody
  timeoutMs: number
  resolve: (value: never) => void
  reject: (error: Error) => void
}

interface LiveWorker {
  client: WorkerClient
  /** Requests wait for the worker's `ready`, so its start-up (tsx compiling) is not charged to a budget. */
  ready: boolean
}

export function createAnalysisHost(options: AnalysisHostOptions): AnalysisHost {
  const defaultTimeout = options.defaultTimeoutMs ?? DEFAULT_ANALYSIS_TIMEOUT_MS
  const env = options.niceness ? { HPO_WORKER_NICENESS: String(options.niceness) } : undefined
  const queue: Pending[] = []
  let worker: LiveWorker | null = null
  let inFlight: Pending | null = null
  let starts = 0
  let closed = false

  const start = (): LiveWorker => {
    const handle = options.workers.spawn('analysis', env)
    // An idle worker must not keep main alive (a request in flight holds its own timer).
    handle.unref?.()
    const live: LiveWorker = { client: createWorkerClient(handle), ready: false }
    starts++
    live.client.onEvent((e) => {
      if (e.type !== 'ready' || worker !== live) return
      live.ready = true
      pump()
    })
    live.client.onExit((exit) => {
      if (worker !== live) return
      worker = null
      if (live.ready) return pump()
      // It died starting up: restarting would only loop. Fail what waits; the next request tries again.
      const err = new WorkerRequestError(
        'WORKER_EXITED',
        `analysis worker failed to start (${exitText(exit)})`,
        exit,
      )
      for (const q of queue.splice(0)) q.reject(err)
    })
    return live
  }

  const run = async (p: Pending, live: LiveWorker): Promise<void> => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const budget = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // A computation cannot be interrupted: the worker goes, the queue continues on a new one.
        if (worker === live) worker = null
        live.client.kill('SIGKILL')
        reject(
          new WorkerRequestError(
            'TIMEOUT',
            `${p.body.type} took longer than ${p.timeoutMs} ms; stopped`,
          ),
        )
      }, p.timeoutMs)
    })
    try {
      p.resolve((await Promise.race([live.client.request(p.body), budget])) as never)
    } catch (e) {
      p.reject(duringRequest(e, p.body.type))
    } finally {
      clearTimeout(timer)
      inFlight = null
      pump()
    }
  }

  const pump = (): void => {
    if (closed || inFlight || queue.length === 0) return
    worker ??= start()
    if (!worker.ready) return
    inFlight = queue.shift()!
    void run(inFlight, worker)
  }

  if (options.eager) worker = start()

  return {
    request(body, opts) {
      if (closed)
        return Promise.reject(new WorkerRequestError('CLOSED', 'the analysis host is closed'))
      return new Promise((resolve, reject) => {
        queue.push({
          body,
          timeoutMs: opts?.timeoutMs ?? defaultTimeout,
          resolve: resolve as (v: never) => void,
          reject,
        })
        pump()
      })
    },
    get pid() {
      return worker?.client.pid
    },
    get starts() {
      return starts
    },
    close() {
      if (closed) return
      closed = true
      const err = new WorkerRequestError('CLOSED', 'the analysis host is closed')
      for (const q of queue.splice(0)) q.reject(err)
      inFlight?.reject(err)
      worker?.client.kill('SIGKILL')
      worker = null
    },
  }
}

function exitText(exit: {
  code: number | null
  signal: string | null
  stderrTail?: string
}): string {
  const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`
  return `${how}${exit.stderrTail ? `: ${exit.stderrTail}` : ''}`
}

/** A worker that died during a request says so, naming the request. */
function duringRequest(e: unknown, type: AnalysisType): Error {
  if (!(e instanceof WorkerRequestError)) return e instanceof Error ? e : new Error(String(e))
  if (e.code !== 'WORKER_EXITED' || !e.exit) return e
  return new WorkerRequestError(
    'WORKER_EXITED',
    `analysis worker ended (${exitText(e.exit)}) during ${type}`,
    e.exit,
  )
}
