import { describe, expect, it } from 'vitest'
import { createFrameReader, encodeFrame, FRAME_MARKER } from './lineFrames.ts'

function read(chunks: string[]): { messages: unknown[]; lines: string[] } {
  const messages: unknown[] = []
  const lines: string[] = []
  const reader = createFrameReader(
    (m) => messages.push(m),
    (l) => lines.push(l),
  )
  for (const c of chunks) reader.push(c)
  reader.end()
  return { messages, lines }
}

describe('line frames', () => {
  it('carries a message with bytes and non-finite numbers through', () => {
    const message = {
      kind: 'response',
      id: 3,
      result: { state: new Uint8Array([0, 1, 254, 255]), nan: NaN, inf: -Infinity, n: 1.5 },
    }
    const { messages, lines } = read([encodeFrame(message)])
    expect(lines).toEqual([])
    expect(messages).toHaveLength(1)
    const got = messages[0] as typeof message
    expect(got.result.state).toBeInstanceOf(Uint8Array)
    expect([...got.result.state]).toEqual([0, 1, 254, 255])
    expect(got.result.nan).toBeNaN()
    expect(got.result.inf).toBe(-Infinity)
    expect(got).toMatchObject({ kind: 'response', id: 3, result: { n: 1.5 } })
  })

  it('reassembles messages split across chunks of any size', () => {
    const text = encodeFrame({ a: 'x'.repeat(5000) }) + encodeFrame({ b: 2 })
    const chunks = text.match(/[\s\S]{1,7}/g)!
    expect(read(chunks).messages).toEqual([{ a: 'x'.repeat(5000) }, { b: 2 }])
  })

  it('keeps what else the stream holds as lines, a print glued before a message included', () => {
    const { messages, lines } = read([
      'a library warning\n',
      `no newline here${encodeFrame({ id: 1 })}`,
      'last words',
    ])
    expect(messages).toEqual([{ id: 1 }])
    expect(lines).toEqual(['a library warning', 'no newline here', 'last words'])
  })

  it('turns a broken protocol line into a log line instead of throwing', () => {
    const { messages, lines } = read([`${FRAME_MARKER}{"id": 1\n`])
    expect(messages).toEqual([])
    expect(lines[0]).toMatch(/unreadable protocol line/)
  })

  it('makes large byte arrays without overflowing the call stack', () => {
    const big = new Uint8Array(300_000).map((_, i) => i % 251)
    const got = read([encodeFrame({ big })]).messages[0] as { big: Uint8Array }
    expect(got.big.length).toBe(300_000)
    expect(got.big[250]).toBe(250)
  })
})
