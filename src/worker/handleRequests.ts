// Runs in a worker: answers requests one at a time, in arrival order, errors as data.
import type { WorkerError, WorkerRequest } from '../shared/workerProtocol.ts'
import type { ParentConnection } from './connectToParent.ts'

export function toWorkerError(e: unknown, fallback: WorkerError['code'] = 'INTERNAL'): WorkerError {
  const err = e as { code?: unknown; message?: unknown; name?: unknown }
  const codes: WorkerError['code'][] = [
    'BAD_REQUEST',
    'TUNER_ERROR',
    'OBJECTIVE_FAILED',
    'CANCELLED',
    'DATASET_INVALID',
    'INTERNAL',
  ]
  const code =
    err?.name === 'AbortError'
      ? 'CANCELLED'
      : codes.includes(err?.code as WorkerError['code'])
        ? (err.code as WorkerError['code'])
        : fallback
  return { code, message: typeof err?.message === 'string' ? err.message : String(e) }
}

export function handleRequests(
  parent: ParentConnection,
  handle: (req: WorkerRequest) => Promise<unknown>,
  options: { sequential?: boolean; fallbackCode?: WorkerError['code'] } = {},
): void {
  let chain: Promise<void> = Promise.resolve()
  const answer = async (req: WorkerRequest): Promise<void> => {
    try {
      const result = await handle(req)
      parent.send({ kind: 'response', id: req.id, ok: true, result: result as never })
    } catch (e) {
      parent.send({
        kind: 'response',
        id: req.id,
        ok: false,
        error: toWorkerError(e, options.fallbackCode),
      })
    }
  }
  parent.onMessage((req) => {
    if (options.sequential === false) void answer(req)
    else chain = chain.then(() => answer(req))
  })
}
