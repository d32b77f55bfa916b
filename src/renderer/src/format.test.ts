import { describe, expect, it } from 'vitest'
import { distinguishingDigits, formatNumber, formatParam } from './format.ts'

describe('formatNumber', () => {
  it('shows 5 significant digits, exponents for the very small and large', () => {
    expect(formatNumber(0.123456789)).toBe('0.12346')
    expect(formatNumber(0.0001234567)).toBe('1.235e-4')
    expect(formatNumber(42)).toBe('42')
    expect(formatNumber(null)).toBe('—')
  })

  it('takes as many digits as it takes to tell values apart', () => {
    const values = [0.1234561, 0.1234569, 'adam', 0.1234561]
    const d = distinguishingDigits(values)
    expect(d).toBe(6)
    expect(formatParam(values[0], d)).not.toBe(formatParam(values[1], d))
    expect(distinguishingDigits([0.5, 0.25, true])).toBe(5)
    expect(distinguishingDigits([1e-7 + 1e-20, 1e-7])).toBeGreaterThan(12)
  })
})
