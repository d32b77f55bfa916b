import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  AnalysisMessage,
  AnalysisRequest,
  AnalysisResponse,
  ImportanceResult,
} from '../../shared/analysisProtocol.ts'
import { createRng } from '../../shared/rng.ts'
import { sampleConfig } from '../../shared/spaceCodec.ts'
import type { SearchSpace } from '../../shared/searchSpace.ts'
import { handleAnalysisRequest } from './analysisDispatch.ts'

const entry = fileURLToPath(new URL('./analysisWorker.ts', import.meta.url))
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

describe('handleAnalysisRequest', () => {
  it('answers bad requests as data, naming the field and the value', () => {
    const r = handleAnalysisRequest({
      id: 4,
      type: 'importance',
      input: { space, trials, seeds: [], timeBudgetMs: 100, maxTrials: 10 },
    })
    expect(r).toEqual({
      kind: 'response',
      id: 4,
      ok: false,
      error: {
        code: 'BAD_REQUEST',
        message: 'importance: seeds must be a non-empty list of integers, got []',
      },
    })
    const u = handleAnalysisRequest({ id: 5, type: 'nope' } as unknown as AnalysisRequest)
    expect(u.ok).toBe(false)
    expect(!u.ok && u.error.message).toBe('unknown request type "nope"')
    const h = handleAnalysisRequest({
      id: 6,
      type: 'downsampleHistory',
      direction: 'up' as 'minimize',
      trials: [],
      maxPoints: 10,
    })
    expect(!h.ok && h.error.message).toMatch(/direction must be minimize or maximize, got "up"/)
  })
})

describe('analysisWorker (a real child process)', () => {
  let child: ChildProcess
  const waiting = new Map<number, (r: AnalysisResponse) => void>()
  let ready: Promise<number>
  const request = (req: AnalysisRequest): Promise<AnalysisResponse> =>
    new Promise((resolve) => {
      waiting.set(req.id, resolve)
      child.send(req)
    })

  beforeAll(() => {
    child = fork(entry, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    ready = new Promise((resolve) => {
      child.on('message', (m: AnalysisMessage) => {
        if (m.kind === 'event') resolve(m.pid)
        else waiting.get(m.id)?.(m)
      })
    })
  })
  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL')
  })

  it('says ready, answers requests in order, and exits when its parent disconnects', async () => {
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

    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    )
    child.disconnect()
    expect(await exited).toBe(0)
  })
})
