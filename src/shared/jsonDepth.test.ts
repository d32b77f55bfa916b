import { describe, expect, it } from 'vitest'
import { nestsDeeperThan } from './jsonDepth.ts'

describe('nestsDeeperThan', () => {
  it('counts array and object levels without recursing', () => {
    expect(nestsDeeperThan({ a: [1, { b: 2 }] }, 3)).toBe(false)
    expect(nestsDeeperThan({ a: [1, { b: [] }] }, 3)).toBe(true)
    expect(nestsDeeperThan(JSON.parse('['.repeat(200_000) + ']'.repeat(200_000)))).toBe(true)
    expect(nestsDeeperThan('x'.repeat(10), 0)).toBe(false)
  })
})
