import type { Direction } from './study.ts'
import type { IntermediateValue, TrialState } from './trial.ts'

export interface PrunerTrial {
  number: number
  state: TrialState
  /** Ordered by step. */
  intermediate: readonly IntermediateValue[]
}

export interface PrunerContext {
  direction: Direction
  /** Every trial of the study with its intermediate values, the one being judged included. */
  trials: readonly PrunerTrial[]
}

/**
 * Decides whether a running trial stops early, after it reported an intermediate value.
 * Runs in main, asked by the study runner. Pure over its inputs: the same history gives the same answer.
 */
export interface Pruner {
  shouldPrune(trial: PrunerTrial, ctx: PrunerContext): boolean
}
