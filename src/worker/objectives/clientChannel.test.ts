import { appendFileSync, mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { tailChannel, type ClientMessage } from './clientChannel.ts'

describe('tailChannel', () => {
  it('reads whole lines as they are appended, a line split across writes once it ends', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'hpo-channel-')), 'channel.jsonl')
    const got: ClientMessage[] = []
    const bad: string[] = []
    const tail = tailChannel(
      file,
      (m) => got.push(m),
      (_line, reason) => bad.push(reason),
    )
    tail.poll() // not written yet: nothing, no error
    appendFileSync(file, '{"t": "report", "step": 0, "value": 0.5}\n{"t": "attr", "key": "é", ')
    tail.poll()
    expect(got).toEqual([{ t: 'report', step: 0, value: 0.5 }])
    appendFileSync(file, '"value": {"ü": [1]}}\nnot json\n{"t": "report", "step": 1}\n')
    appendFileSync(file, '{"t": "result", "value": 2}')
    tail.stop()
    expect(got).toEqual([
      { t: 'report', step: 0, value: 0.5 },
      { t: 'attr', key: 'é', value: { ü: [1] } },
    ])
    expect(bad).toEqual(['not JSON', expect.stringContaining('value')])
  })
})
