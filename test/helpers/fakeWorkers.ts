// In-process worker handles for the runner's unit tests: each request goes to a handler (its result or
// thrown error comes back as the worker protocol's response, a tick later), events and crashes are sent on
// demand. The real WorkerClient runs on top, so request ids, rejections on exit and kills are the real ones.
import type { WorkerExit, WorkerHandle, WorkerHost } from '../../src/main/workers/workerHost.ts'
import type {
  WorkerError,
  WorkerEvent,
  WorkerMessage,
  WorkerRequest,
  WorkerRole,
} from '../../src/shared/workerProtocol.ts'

export type FakeHandler = (req: WorkerRequest, worker: FakeWorker) => unknown

type EventBody = WorkerEvent extends infer E ? (E extends unknown ? Omit<E, 'kind'> : never) : never

export interface FakeWorker extends WorkerHandle {
  readonly role: WorkerRole
  readonly env: Record<string, string>
  readonly requests: WorkerRequest[]
  readonly killedWith: string | null
  /** Sends an unsolicited event to main. */
  event(body: EventBody): void
  /** Writes a line on the worker's stderr. */
  stderr(line: string): void
  /** Ends the process as a crash would. */
  crash(exit?: Partial<WorkerExit>): void
}

const tick = () => new Promise<void>((r) => setImmediate(r))

export function fakeWorker(
  role: WorkerRole,
  handler: FakeHandler,
  env: Record<string, string> = {},
): FakeWorker {
  const messageListeners: ((m: WorkerMessage) => void)[] = []
  const exitListeners: ((e: WorkerExit) => void)[] = []
  const stderrListeners = new Set<(line: string) => void>()
  const requests: WorkerRequest[] = []
  let exited = false
  let killedWith: string | null = null
  const deliver = (m: WorkerMessage) => {
    if (!exited) for (const l of messageListeners) l(m)
  }
  const exit = (e: WorkerExit) => {
    if (exited) return
    exited = true
    for (const l of exitListeners) l(e)
  }

  const worker: FakeWorker = {
    role,
    env,
    requests,
    get killedWith() {
      return killedWith
    },
    pid: undefined,
    send(req) {
      requests.push(req)
      void (async () => {
        await tick()
        try {
          const result = await handler(req, worker)
          deliver({ kind: 'response', id: req.id, ok: true, result: result as never })
        } catch (e) {
          const error: WorkerError = {
            code: ((e as { code?: WorkerError['code'] }).code ?? 'INTERNAL') as WorkerError['code'],
            message: (e as Error).message,
          }
          deliver({ kind: 'response', id: req.id, ok: false, error })
        }
      })()
    },
    onMessage: (l) => void messageListeners.push(l),
    onStderr(l) {
      stderrListeners.add(l)
      return () => stderrListeners.delete(l)
    },
    onExit: (l) => void exitListeners.push(l),
    kill(signal = 'SIGTERM') {
      killedWith = signal
      setImmediate(() => exit({ code: null, signal, reason: null }))
    },
    event: (body) => deliver({ kind: 'event', ...body } as WorkerEvent),
    stderr: (line) => stderrListeners.forEach((l) => l(line)),
    crash: (e = {}) => exit({ code: null, signal: 'SIGKILL', reason: null, ...e }),
  }
  return worker
}

/** A host whose workers are fakes, by role; `spawned` lists them in order. */
export function fakeWorkerHost(handlers: Partial<Record<WorkerRole, FakeHandler>>): WorkerHost & {
  spawned: FakeWorker[]
} {
  const spawned: FakeWorker[] = []
  return {
    spawned,
    spawn(role, env = {}) {
      const handler = handlers[role]
      if (!handler) throw new Error(`no fake for the ${role} worker`)
      const w = fakeWorker(role, handler, env)
      spawned.push(w)
      return w
    },
  }
}

/** A tuner worker that proposes x = 0, 1, 2… and whose state counts the trials it was told. */
export function fakeTuner(): FakeHandler {
  let asked = 0
  let told = 0
  return (req) => {
    switch (req.type) {
      case 'init':
        return { tunerKind: req.tuner.kind }
      case 'ask':
        return { proposal: { params: { x: asked++ } }, state: Uint8Array.of(asked, told) }
      case 'tell':
        return { state: Uint8Array.of(asked, ++told), agentSnapshot: null, warning: null }
      default:
        throw Object.assign(new Error(`unexpected ${req.type}`), { code: 'BAD_REQUEST' })
    }
  }
}
