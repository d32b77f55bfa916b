import { describe, expect, it } from 'vitest'
import type { PrunerTrial } from '../../../shared/pruner.ts'
import { bracketCount, bracketOf, crc32, createHyperbandPruner } from './hyperbandPruner.ts'

const curve = (number: number, values: number[], state: PrunerTrial['state'] = 'running') => ({
  number,
  state,
  intermediate: values.map((value, i) => ({ step: i + 1, value })),
})

describe('hyperband pruner', () => {
  it('hashes with the standard CRC-32', () => {
    expect(crc32('123456789')).toBe(0xcbf43926)
    expect(crc32('')).toBe(0)
  })

  it('has ⌊log_η(max/min)⌋ + 1 brackets, filled in proportion to Hyperband’s budgets', () => {
    expect(bracketCount(1, 27, 3)).toBe(4)
    expect(bracketCount(1, 26, 3)).toBe(3)
    expect(bracketCount(1, 100, 3)).toBe(5)
    expect(bracketCount(5, 5, 3)).toBe(1)
    // η = 3, 4 brackets: shares ⌈4·27/4⌉ = 27, ⌈4·9/3⌉ = 12, ⌈4·3/2⌉ = 6, ⌈4/1⌉ = 4 of 49
    const counts = [0, 0, 0, 0]
    for (let n = 0; n < 9800; n++) counts[bracketOf(n, 4, 3)]++
    ;[27, 12, 6, 4].forEach((share, b) => expect(counts[b] / 9800).toBeCloseTo(share / 49, 1))
  })

  it('prunes nothing before a trial completes when maxResource is auto', () => {
    const pruner = createHyperbandPruner({
      minResource: 1,
      maxResource: 'auto',
      reductionFactor: 3,
      warmupSteps: 0,
      minTrials: 0,
    })
    const running = Array.from({ length: 20 }, (_, n) =>
      curve(
        n,
        [1, 1, 1].map((v) => v * (n + 1)),
      ),
    )
    for (const t of running)
      expect(pruner.shouldPrune(t, { direction: 'minimize', trials: running })).toBe(false)
  })

  it('runs successive halving inside each bracket, bracket b starting at rung step η^b', () => {
    const pruner = createHyperbandPruner({
      minResource: 1,
      maxResource: 27,
      reductionFactor: 3,
      warmupSteps: 0,
      minTrials: 0,
    })
    const good = Array.from({ length: 200 }, (_, n) =>
      curve(
        n,
        Array.from({ length: 27 }, (_, s) => 1 / (s + 1)),
        'complete',
      ),
    )
    for (let number = 200; number < 260; number++) {
      const bracket = bracketOf(number, 4, 3)
      const firstRung = 3 ** bracket
      for (let steps = 1; steps <= 27; steps++) {
        const bad = curve(number, new Array(steps).fill(10))
        const pruned = pruner.shouldPrune(bad, { direction: 'minimize', trials: [...good, bad] })
        expect(pruned).toBe(steps === firstRung)
        if (pruned) break
      }
    }
  })
})
