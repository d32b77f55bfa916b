import { afterAll, describe, expect, it } from 'vitest'
import { createRng } from '../../shared/rng.ts'
import { sampleConfig } from '../../shared/spaceCodec.ts'
import type { SearchSpace } from '../../shared/searchSpace.ts'
import { createAnalysisHost } from './analysisHost.ts'
import { createNodeChildHost } from './nodeChildHost.ts'
import { WorkerRequestError } from './workerClient.ts'
import type { WorkerExit, WorkerHandle, WorkerHost } from './workerHost.ts'

const space: SearchSpace = {
  params: Array.from({ length: 8 }, (_, i) => ({
    name: `x${i}`,
    type: 'float' as const,
    low: 0,
    high: 1,
    log: false,
  })),
}
const rng = createRng(3)
const trials = Array.from({ length: 3000 }, () => {
  const params = sampleConfig(space, rng)
  return { params, value: Number(params.x0) + Math.sin(5 * Number(params.x1)) }
})
const history = {
  type: 'downsampleHistory' as const,
  direction: 'minimize' as const,
  trials: [
    { number: 0, state: 'complete' as const, value: 3 },
    { number: 1, state: 'pruned' as const, value: 1 },
    { number: 2, state: 'complete' as const, value: 2 },
  ],
  maxPoints: 100,
}

describe('createAnalysisHost (real worker processes, role analysis of the one worker entry)', () => {
  const host = createAnalysisHost({ workers: createNodeChildHost(), eager: true })
  afterAll(() => host.close())

  it('answers typed requests in order from one worker', async () => {
    const [a, b] = await Promise.all([host.request(history), host.request(history)])
    expect(a.bestSoFar).toEqual([
      { number: 0, value: 3 },
      { number: 2, value: 2 },
    ])
    expect(b.pruned).toEqual([{ number: 1, value: 1 }])
    expect(host.starts).toBe(1)
  })

  it('returns a bad request as an WorkerRequestError with the worker message', async () => {
    const err = await host.request({ ...history, maxPoints: 0 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WorkerRequestError)
    expect((err as WorkerRequestError).code).toBe('BAD_REQUEST')
    expect((err as WorkerRequestError).message).toMatch(/maxPoints must be > 0, got 0/)
  })

  it('kills a request past its budget and runs the next on a fresh worker', async () => {
    const before = host.pid
    const slow = host.request(
      {
        type: 'importance',
        input: { space, trials, seeds: [0, 1, 2], timeBudgetMs: 60_000, maxTrials: 3000 },
      },
      { timeoutMs: 300 },
    )
    const next = host.request(history)
    const err = await slow.catch((e: unknown) => e)
    expect((err as WorkerRequestError).code).toBe('TIMEOUT')
    expect((err as Error).message).toBe('importance took longer than 300 ms; stopped')
    expect((await next).total).toBe(3)
    expect(host.pid).not.toBe(before)
    expect(host.starts).toBe(2)
  })

  it('fails the request in flight when the worker dies, then restarts', async () => {
    await host.request(history)
    const pid = host.pid!
    const slow = host.request({
      type: 'importance',
      input: { space, trials, seeds: [0], timeBudgetMs: 60_000, maxTrials: 3000 },
    })
    setTimeout(() => process.kill(pid, 'SIGKILL'), 100)
    const err = await slow.catch((e: unknown) => e)
    expect((err as WorkerRequestError).code).toBe('WORKER_EXITED')
    expect((err as Error).message).toMatch(
      /analysis worker ended \(signal SIGKILL\) during importance/,
    )
    expect((await host.request(history)).total).toBe(3)
    expect(host.pid).not.toBe(pid)
  })
})

describe('createAnalysisHost (a worker that cannot start)', () => {
  it('fails waiting requests once instead of restarting in a loop', async () => {
    const roles: string[] = []
    const workers: WorkerHost = {
      spawn(role): WorkerHandle {
        roles.push(role)
        let onExit: ((exit: WorkerExit) => void) | null = null
        setTimeout(
          () =>
            onExit?.({ code: 1, signal: null, reason: null, stderrTail: 'SyntaxError: bad entry' }),
          10,
        )
        return {
          pid: undefined,
          send() {},
          onMessage() {},
          onStderr: () => () => {},
          onExit(l) {
            onExit = l
          },
          kill() {},
        }
      },
    }
    const host = createAnalysisHost({ workers })
    const err = await host.request(history).catch((e: unknown) => e)
    expect((err as WorkerRequestError).code).toBe('WORKER_EXITED')
    expect((err as Error).message).toBe(
      'analysis worker failed to start (exit code 1: SyntaxError: bad entry)',
    )
    expect(roles).toEqual(['analysis'])
    host.close()
    const closed = await host.request(history).catch((e: unknown) => e)
    expect((closed as WorkerRequestError).code).toBe('CLOSED')
  })
})
