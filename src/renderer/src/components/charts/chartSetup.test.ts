import { describe, expect, it } from 'vitest'
import { choiceTicks, tick } from './chartSetup.ts'

describe('choiceTicks', () => {
  it('writes numeric choices compactly, as a table replayed from HPOBench gives them', () => {
    const alpha = [1e-8, 7.742637e-8, 5.994842e-7, 0.000004641589, 0.0021544348, 0.12915497, 1]
    expect(choiceTicks(alpha)).toEqual([
      '1e-8',
      '7.74e-8',
      '5.99e-7',
      '4.64e-6',
      '0.00215',
      '0.129',
      '1',
    ])
    // The text of numbers (slice and contour get choices as text) reads the same.
    expect(choiceTicks(alpha.map(String))).toEqual(choiceTicks(alpha))
  })

  it('writes whole numbers whole (1024, not 1020)', () => {
    expect(choiceTicks([16, 645, 1024, 20000])).toEqual(['16', '645', '1024', '20000'])
  })

  it('keeps as many digits as tell the choices apart', () => {
    expect(choiceTicks([0.1234, 0.1235, 0.2])).toEqual(['0.1234', '0.1235', '0.2'])
  })

  it('leaves words, booleans and number-like text that is not a plain number as they are', () => {
    expect(choiceTicks(['relu', 'tanh', true, '0.10', '007'])).toEqual([
      'relu',
      'tanh',
      'true',
      '0.10',
      '007',
    ])
  })
})

describe('tick', () => {
  it('is unchanged: thousands as k, small and large numbers exponential', () => {
    expect([tick(2500), tick(1e-5), tick(123456), tick(0.5), tick(0)]).toEqual([
      '2.5k',
      '1e-5',
      '1.23e+5',
      '0.5',
      '0',
    ])
  })
})
