import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImportanceResult } from '../../shared/analysisProtocol.ts'
import type { WorkerMessage, WorkerRequest, WorkerResponse } from '../../shared/workerProtocol.ts'
import { createRng } from '../../shared/rng.ts'
import { sampleConfig } from '../../shared/spaceCodec.ts'
import type { SearchSpace } from '../../shared/searchSpace.ts'
import { handleAnalysisRequest } from './analysisDispatch.ts'

const entry = fileURLToPath(new URL('../index.ts', import.meta.url))
const space: SearchSpace = {
  params: [
    { name: 'x', type: 'float', low: 0, high: 1, log: false },
    { name: 'y', type: 'float', low: 0, high: 1, log: false },
  ],
}
const rng = createRng(1)
const trials = Array.from({ length: 60 }, () => {
  const params = sampleConfig(space, rng)
  return { params, value: 3 * Number(params.x) }
})

const thrown = (req: unknown): { code?: string; message: string } => {
  try {
    handleAnalysisRequest(req as WorkerRequest)
  } catch (e) {
    return e as { code?: string; message: string }
  }
  throw new Error('expected a throw')
}

describe('handleAnalysisRequest', () => {
  it('refuses bad requests with BAD_REQUEST, naming the field and the value', () => {
    expect(
      thrown({
        id: 4,
        type: 'importance',
        input: { space, trials, seeds: [], timeBudgetMs: 100, maxTrials: 10 },
      }),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'importance: seeds must be a non-empty list of integers, got []',
    })
    expect(thrown({ id: 5, type: 'nope' }).message).toBe('unknown request type "nope"')
    expect(
      thrown({ id: 6, type: 'downsampleHistory', direction: 'up', trials: [], maxPoints: 10 })
        .message,
    ).toMatch(/direction must be minimize or maximize, got "up"/)
  })
})

describe('the analysis role of the worker entry (a real child process)', () => {
  let child: ChildProcess
  const waiting = new Map<number, (r: WorkerResponse) => void>()
  let ready: Promise<number>
  const request = (req: WorkerRequest): Promise<WorkerResponse> =>
    new Promise((resolve) => {
      waiting.set(req.id, resolve)
      child.send(req)
    })

  beforeAll(() => {
    child = fork(entry, ['analysis'], {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    ready = new Promise((resolve) => {
      child.on('message', (m: WorkerMessage) => {
        if (m.kind === 'event' && m.type === 'ready') resolve(m.pid)
        else if (m.kind === 'response') waiting.get(m.id)?.(m)
      })
    })
  })
  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL')
  })

  it('says ready and answers requests in order', async () => {
    expect(await ready).toBe(child.pid)
    const [imp, hist] = await Promise.all([
      request({
        id: 1,
        type: 'importance',
        input: { space, trials, seeds: [0, 1], timeBudgetMs: 10_000, maxTrials: 1000, nTrees: 8 },
      }),
      request({
        id: 2,
        type: 'downsampleHistory',
        direction: 'maximize',
        trials: trials.map((t, i) => ({ number: i, state: 'complete', value: t.value })),
        maxPoints: 20,
      }),
    ])
    expect(imp.ok).toBe(true)
    const result = (imp as { result: ImportanceResult }).result
    expect(result.params[0].name).toBe('x')
    expect(result.params[0].mean).toBeGreaterThan(0.95)
    expect(result.trialsUsed).toBe(60)
    expect(hist.ok && hist.id).toBe(2)
  })
})
