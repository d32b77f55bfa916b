import { describe, expect, it } from 'vitest'
import { createTrialLogBuffer } from './trialLogBuffer.ts'

describe('createTrialLogBuffer', () => {
  it('writes lines in batches: on flush, after flushMs, or once maxChars wait', async () => {
    const batches: number[] = []
    const buffer = createTrialLogBuffer(
      { appendTrialLogs: (entries) => void batches.push(entries.length) },
      { flushMs: 20, maxChars: 10 },
    )
    for (let i = 0; i < 4; i++) buffer.add(1, 'stdout', 'ab\n')
    expect(batches).toEqual([4])
    buffer.add(1, 'stdout', 'x\n')
    buffer.flush()
    buffer.add(1, 'stderr', 'y\n')
    expect(batches).toEqual([4, 1])
    await new Promise((r) => setTimeout(r, 60))
    expect(batches).toEqual([4, 1, 1])
  })

  it('reports a failed write and goes on', () => {
    const errors: string[] = []
    const buffer = createTrialLogBuffer(
      {
        appendTrialLogs: () => {
          throw new Error('no trial with id 1')
        },
      },
      { onError: (e) => errors.push(e.message) },
    )
    buffer.add(1, 'stdout', 'a\n')
    buffer.flush()
    expect(errors).toEqual(['no trial with id 1'])
  })
})
