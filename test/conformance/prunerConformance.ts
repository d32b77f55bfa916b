// The suite every Pruner must pass: pure over its inputs, silent without evidence, symmetric in the
// study direction, respectful of warmupSteps, and (where it prunes at all) stopping a clear laggard.
import { describe, expect, it } from 'vitest'
import type { Pruner, PrunerContext, PrunerTrial } from '../../src/shared/pruner.ts'
import { createRng } from '../../src/shared/rng.ts'
import type { Direction } from '../../src/shared/study.ts'
import type { TrialState } from '../../src/shared/trial.ts'

export interface PrunerCase {
  name: string
  make: (overrides?: Record<string, unknown>) => Pruner
  /** Whether the pruner ever prunes (false for `none`). */
  prunes: boolean
  /** Whether it honours warmupSteps (patient delegates it to its inner pruner); if not, make() must refuse it. */
  hasWarmup: boolean
}

const trial = (
  number: number,
  state: TrialState,
  values: readonly number[],
  firstStep = 1,
): PrunerTrial => ({
  number,
  state,
  intermediate: values.map((value, i) => ({ step: firstStep + i, value })),
})

/** Complete trials whose curves fall like 1/step, with some spread. */
function population(n: number, steps: number, seed: number): PrunerTrial[] {
  const rng = createRng(seed)
  return Array.from({ length: n }, (_, i) => {
    const scale = 1 + rng.next()
    return trial(
      i,
      'complete',
      Array.from({ length: steps }, (_, s) => scale / (s + 1)),
    )
  })
}

function deepFreeze<T>(x: T): T {
  if (x && typeof x === 'object') {
    Object.values(x).forEach(deepFreeze)
    Object.freeze(x)
  }
  return x
}

const laggardCurve = (steps: number): number[] =>
  Array.from({ length: steps }, (_, s) => 50 + 0.1 * s)

const negate = (t: PrunerTrial): PrunerTrial => ({
  ...t,
  intermediate: t.intermediate.map((p) => ({ step: p.step, value: -p.value })),
})

/** Random histories: a mix of complete, pruned and running trials with noisy curves. */
function randomHistory(seed: number): PrunerTrial[] {
  const rng = createRng(seed)
  const states: TrialState[] = ['complete', 'complete', 'pruned', 'running', 'failed']
  return Array.from({ length: 8 + rng.int(30) }, (_, i) => {
    const steps = 1 + rng.int(30)
    const base = rng.next() * 3
    return trial(
      i,
      states[rng.int(states.length)],
      Array.from({ length: steps }, (_, s) => base / (s + 1) + 0.2 * rng.next()),
    )
  })
}

export function describePrunerConformance(cases: readonly PrunerCase[]): void {
  describe.each(cases)('$name conforms to the Pruner contract', ({ make, prunes, hasWarmup }) => {
    const ctx = (trials: PrunerTrial[], direction: Direction = 'minimize'): PrunerContext => ({
      direction,
      trials,
    })

    it('never prunes a trial that has reported nothing, or the only trial of a study', () => {
      const others = population(20, 30, 1)
      const silent = trial(20, 'running', [])
      expect(make().shouldPrune(silent, ctx([...others, silent]))).toBe(false)
      const alone = trial(0, 'running', [5, 5, 5, 5, 5, 5, 5, 5])
      expect(make().shouldPrune(alone, ctx([alone]))).toBe(false)
    })

    it('is a pure function of the history: same answer twice, inputs untouched', () => {
      for (let seed = 0; seed < 20; seed++) {
        const history = deepFreeze(randomHistory(seed))
        const snapshot = JSON.stringify(history)
        const pruner = make()
        for (const t of history.filter((h) => h.state === 'running')) {
          const first = pruner.shouldPrune(t, ctx(history))
          expect(pruner.shouldPrune(t, ctx(history))).toBe(first)
          expect(make().shouldPrune(t, ctx(history))).toBe(first)
        }
        expect(JSON.stringify(history)).toBe(snapshot)
      }
    })

    it('decides the same when values are negated and the direction flipped', () => {
      for (let seed = 100; seed < 140; seed++) {
        const history = randomHistory(seed)
        const flipped = history.map(negate)
        for (let i = 0; i < history.length; i++) {
          if (history[i].state !== 'running') continue
          expect(make().shouldPrune(flipped[i], ctx(flipped, 'maximize'))).toBe(
            make().shouldPrune(history[i], ctx(history, 'minimize')),
          )
        }
      }
    })

    it('stops a laggard that is far worse and getting worse', () => {
      const others = population(40, 30, 2)
      let pruned = false
      for (let steps = 1; steps <= 30 && !pruned; steps++) {
        const laggard = trial(40, 'running', laggardCurve(steps))
        pruned = make().shouldPrune(laggard, ctx([...others, laggard]))
      }
      expect(pruned).toBe(prunes)
    })

    if (hasWarmup) {
      it('never prunes before warmupSteps', () => {
        const others = population(40, 30, 3)
        for (let steps = 1; steps <= 30; steps++) {
          const laggard = trial(40, 'running', laggardCurve(steps))
          expect(make({ warmupSteps: 31 }).shouldPrune(laggard, ctx([...others, laggard]))).toBe(
            false,
          )
        }
      })
    } else {
      it('has no warmupSteps option: refuses one rather than ignoring it', () => {
        expect(() => make({ warmupSteps: 31 })).toThrow(/warmupSteps/)
      })
    }
  })
}
