// Runs in-process for tests and benchmarks: a tuner against a synthetic function, sequentially
// (ask → evaluate → tell), as the engine would with concurrency 1.
import type { AgentSnapshot } from '../../src/shared/agentSnapshot.ts'
import type { SearchSpace } from '../../src/shared/searchSpace.ts'
import {
  syntheticFunction,
  type SyntheticFunctionName,
} from '../../src/shared/syntheticFunctions.ts'
import { type FinishedTrial, type PendingTrial, completeTrial } from '../../src/shared/trial.ts'
import type { Tuner } from '../../src/shared/tuner.ts'

export interface SyntheticRun {
  /** Best loss after each evaluation. */
  bestSoFar: number[]
  /** Best loss minus the known optimum. */
  regret: number
  /** Milliseconds the tuner spent in ask() + tell(), in total. */
  tunerMs: number
  /** Milliseconds of each ask(). */
  askMs: number[]
  /** The RL tuners' agent state at the end; null for other tuners. */
  snapshot: AgentSnapshot | null
}

export type MakeTuner = (space: SearchSpace, seed: number) => Tuner

export async function runOnSynthetic(
  name: SyntheticFunctionName,
  make: MakeTuner,
  seed: number,
  budget: number,
): Promise<SyntheticRun> {
  const fn = syntheticFunction(name)
  const space: SearchSpace = { params: fn.params }
  const tuner = make(space, seed)
  const finished: FinishedTrial[] = []
  const pending: PendingTrial[] = []
  const bestSoFar: number[] = []
  const askMs: number[] = []
  let best = Infinity
  let tunerMs = 0
  for (let number = 0; number < budget; number++) {
    let t0 = performance.now()
    const proposal = await tuner.ask({ finished, pending })
    askMs.push(performance.now() - t0)
    tunerMs += askMs[number]
    const value = fn.evaluate(proposal.params)
    best = Math.min(best, value)
    bestSoFar.push(best)
    const trial: FinishedTrial = completeTrial(number, proposal.params, value, {
      tunerData: proposal.tunerData,
    })
    finished.push(trial)
    t0 = performance.now()
    // the last result cannot change any proposal of this run
    if (number < budget - 1) await tuner.tell(trial, { finished, pending })
    tunerMs += performance.now() - t0
  }
  const snapshot = tuner.snapshot?.() ?? null
  ;(tuner as { dispose?: () => void }).dispose?.()
  return { bestSoFar, regret: best - fn.optimum, tunerMs, askMs, snapshot }
}
