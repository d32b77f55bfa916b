import { describe, expect, it } from 'vitest'
import { elapsedText } from './useNow.ts'

describe('a running trial’s elapsed time', () => {
  it('reads "< 1 s" under half a second, never "0 ms"', () => {
    expect(elapsedText(120, 1000, 1100)).toBe('< 1 s')
    expect(elapsedText(0, 1000, 1000)).toBe('< 1 s')
  })
  it('counts up in whole seconds from when it was fetched', () => {
    expect(elapsedText(4200, 1000, 3000)).toBe('6.0 s')
    expect(elapsedText(61_000, 0, 0)).toBe('1 min 1 s')
  })
})
