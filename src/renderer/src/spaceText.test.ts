import { describe, expect, it } from 'vitest'
import { parseSpaceText } from './spaceText.ts'

const problem = (text: string, around?: Record<string, unknown>): string => {
  const r = parseSpaceText(text, around)
  if (r.ok) throw new Error(`applied: ${JSON.stringify(r.space)}`)
  return r.problem
}

describe('parseSpaceText', () => {
  it('applies a complete, valid space in YAML or JSON', () => {
    expect(parseSpaceText('lr:\n  type: float\n  low: 0.001\n  high: 0.1\n')).toEqual({
      ok: true,
      space: { lr: { type: 'float', low: 0.001, high: 0.1 } },
    })
    expect(parseSpaceText('{"n": {"type": "int", "low": 1, "high": 3}}').ok).toBe(true)
  })

  it('keeps the table for empty, half-typed, broken or invalid text, and says why', () => {
    expect(problem('  \n')).toMatch(/empty; the table is unchanged/)
    expect(problem('x1:')).toMatch(/space\.x1: must be an object/)
    expect(problem('x1:\n  type: fl')).toMatch(/space\.x1\.type/)
    expect(problem('x1: {type: float, low: 1')).toMatch(/does not parse at line 1/)
    expect(problem('x1: 1\nx1: 2\n')).toMatch(/does not parse/)
    expect(problem('- a\n- b\n')).toMatch(/mapping of parameter names/)
    expect(problem('x: {type: float, low: 2, high: 1}')).toMatch(/low/)
  })

  it('lets a text refer to the parameters around it (a synthetic function’s own)', () => {
    const around = { x1: { type: 'float', low: -5, high: 10 } }
    const text = 'noise: {type: int, low: 1, high: 3, when: {x1: [1]}}'
    expect(problem(text)).toMatch(/x1/)
    expect(parseSpaceText(text, around).ok).toBe(true)
  })
})
