import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { watchStderr } from './stderrLines.ts'

const flush = () => new Promise((resolve) => setImmediate(resolve))

describe('a worker’s stderr as lines', () => {
  it('joins lines split across chunks, skips blank ones, and stops telling after unsubscribe', async () => {
    const stream = new PassThrough()
    const lines = watchStderr(stream)
    const seen: string[] = []
    const stop = lines.onLine((l) => seen.push(l))
    stream.write('[14:01:02] WARNING: a\nParam')
    stream.write('eters: { "x" } are not used.\n\n  \n')
    await flush()
    expect(seen).toEqual(['[14:01:02] WARNING: a', 'Parameters: { "x" } are not used.'])
    stop()
    stream.write('later\n')
    await flush()
    expect(seen).toHaveLength(2)
  })

  it('keeps the last three lines for the exit report, an unfinished last line included', async () => {
    const stream = new PassThrough()
    const lines = watchStderr(stream)
    expect(lines.tail()).toBeUndefined()
    stream.write('one\ntwo\nthree\nfour\nAborted (core dumped')
    await flush()
    expect(lines.tail()).toBe('three | four | Aborted (core dumped')
  })
})
