// A command's final line with several objectives and constraints, and the checks each trial's
// report goes through (shared/trialValues.ts) before the study records it.
import { describe, expect, it } from 'vitest'
import { resolveTrialValues } from '../../shared/trialValues.ts'
import { parseOutputLine } from './commandObjective.ts'

const goals = {
  objectives: [
    { name: 'accuracy', direction: 'maximize' as const },
    { name: 'latency_ms', direction: 'minimize' as const },
  ],
  constraints: [{ name: 'model_mb', max: 50 }],
}
const resolve = (line: string) => {
  const parsed = parseOutputLine(line)
  if (parsed.kind !== 'final') throw new Error(`not a final line: ${parsed.kind}`)
  return resolveTrialValues(parsed, goals)
}

describe('a command reporting several objectives', () => {
  it('reads values by name or in order, constraints by name, other keys as attributes', () => {
    const line =
      '{"values": {"latency_ms": 12, "accuracy": 0.9}, "constraints": {"model_mb": 51}, "note": "x"}'
    const parsed = parseOutputLine(line)
    expect(parsed).toMatchObject({ kind: 'final', extra: { note: 'x' } })
    expect(resolve(line)).toEqual({
      ok: true,
      value: { value: 0.9, values: [0.9, 12], constraints: { model_mb: 51 }, feasible: false },
    })
    const listed = resolve('{"values": [0.8, 3], "constraints": {"model_mb": 2}}')
    expect(listed.ok && listed.value).toMatchObject({ values: [0.8, 3], feasible: true })
  })

  it('says what does not match: a missing objective, a mismatched name, a list of the wrong length', () => {
    const missing = resolve('{"values": {"accuracy": 0.9}, "constraints": {"model_mb": 1}}')
    expect(missing).toEqual({
      ok: false,
      message:
        'no value for objective latency_ms: the study file names accuracy, latency_ms, the objective reported accuracy',
    })
    const renamed = resolve(
      '{"values": {"acc": 0.9, "latency": 3}, "constraints": {"model_mb": 1}}',
    )
    expect(!renamed.ok && renamed.message).toContain('no value for objectives accuracy, latency_ms')
    expect(!renamed.ok && renamed.message).toContain('reported acc, latency')
    const short = resolve('{"values": [0.9], "constraints": {"model_mb": 1}}')
    expect(!short.ok && short.message).toBe(
      'reported 1 values in a list, the study has 2 objectives (accuracy, latency_ms)',
    )
    const single = resolveTrialValues({ value: 0.9 }, goals)
    expect(!single.ok && single.message).toContain(
      'report {"values": {"accuracy": …, "latency_ms": …}}',
    )
  })

  it('names the value that is NaN, even as Python’s json.dumps writes it', () => {
    const nan = resolve(
      '{"values": {"accuracy": NaN, "latency_ms": 3}, "constraints": {"model_mb": 1}}',
    )
    expect(nan).toEqual({
      ok: false,
      message: 'objective accuracy is NaN (a finite number is required)',
    })
    const inf = resolve('{"values": [0.5, 2], "constraints": {"model_mb": -Infinity}}')
    expect(!inf.ok && inf.message).toBe(
      'constraint model_mb is -Infinity (a finite number is required)',
    )
  })

  it('says which constraint was never reported', () => {
    const none = resolve('{"values": [0.9, 3]}')
    expect(none).toEqual({
      ok: false,
      message: 'constraint model_mb was never reported: report {"constraints": {"model_mb": …}}',
    })
    const other = resolve('{"values": [0.9, 3], "constraints": {"size_mb": 3}}')
    expect(!other.ok && other.message).toContain('got constraints size_mb')
  })

  it('keeps the single-value report of a single-objective study exactly as before', () => {
    expect(parseOutputLine('{"value": 0.5, "epochs": 3}')).toEqual({
      kind: 'final',
      value: 0.5,
      constraints: undefined,
      extra: { epochs: 3 },
    })
    expect(parseOutputLine('{"value": NaN}')).toEqual({ kind: 'bad', reason: 'reported value NaN' })
    expect(parseOutputLine('{"step": 2, "value": 0.1}')).toEqual({
      kind: 'step',
      step: 2,
      value: 0.1,
    })
    const one = { objectives: [{ name: 'loss', direction: 'minimize' as const }], constraints: [] }
    expect(resolveTrialValues({ value: 0.5 }, one)).toEqual({
      ok: true,
      value: { value: 0.5, values: null, constraints: null, feasible: null },
    })
  })
})
