import { describe, expect, it } from 'vitest'
import { createNumpyRandomState, restoreNumpyRandomState } from './numpyRandomState.ts'

// Reference values: numpy 2.4 np.random.RandomState(seed).random_sample().
describe('NumPy’s RandomState', () => {
  it('draws NumPy’s doubles for the same seed, across the state’s regeneration', () => {
    const zero = createNumpyRandomState(0)
    expect([zero.next(), zero.next(), zero.next()]).toEqual([
      0.5488135039273248, 0.7151893663724195, 0.6027633760716439,
    ])
    const big = createNumpyRandomState(123456789)
    for (let i = 0; i < 700; i++) big.next()
    expect(big.next()).toBe(0.08379240563291879)
  })

  it('continues the exact sequence from a saved state', () => {
    const a = createNumpyRandomState(42)
    for (let i = 0; i < 500; i++) a.next()
    const b = restoreNumpyRandomState(JSON.parse(JSON.stringify(a.state())))
    const fromA = Array.from({ length: 800 }, () => a.next())
    expect(Array.from({ length: 800 }, () => b.next())).toEqual(fromA)
  })

  it('refuses a malformed state', () => {
    expect(() => restoreNumpyRandomState({ key: 'AAAA', pos: 0 })).toThrow(
      /malformed NumPy RandomState state/,
    )
    expect(() =>
      restoreNumpyRandomState({ ...createNumpyRandomState(1).state(), pos: 625 }),
    ).toThrow(/malformed/)
  })
})
