// Runs in main. Optuna's HyperbandPruner: each trial falls in a bracket by a hash of its
// number (brackets weighted by the trials Hyperband gives them); bracket b runs successive halving
// with minEarlyStoppingRate b against the trials of the same bracket only.
// maxResource 'auto' is the largest step reached by a complete trial so far (Optuna fixes it at the
// first complete trial; here it follows the history, so the pruner stays a pure function of it);
// before any trial is complete nothing is pruned.
import type { Pruner } from '../../../shared/pruner.ts'
import { successiveHalvingDecision } from './successiveHalvingPruner.ts'

export interface HyperbandOptions {
  minResource: number
  maxResource: number | 'auto'
  reductionFactor: number
  warmupSteps: number
  minTrials: number
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

/** CRC-32 (as zlib / Python's binascii.crc32) of an ASCII string. */
export function crc32(text: string): number {
  let c = 0xffffffff
  for (let i = 0; i < text.length; i++) c = CRC_TABLE[(c ^ text.charCodeAt(i)) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

/** Number of brackets, ⌊log_η(max/min)⌋ + 1. */
export function bracketCount(minResource: number, maxResource: number, eta: number): number {
  if (maxResource <= minResource) return 1
  return Math.floor(Math.log(maxResource / minResource) / Math.log(eta) + 1e-9) + 1
}

/** The bracket of a trial number: brackets get ⌈n·η^s/(s+1)⌉ shares, s = n − 1 − bracket. */
export function bracketOf(trialNumber: number, brackets: number, eta: number): number {
  const budgets = Array.from({ length: brackets }, (_, b) => {
    const s = brackets - 1 - b
    return Math.ceil((brackets * eta ** s) / (s + 1))
  })
  let n = crc32(`trial_${trialNumber}`) % budgets.reduce((a, b) => a + b, 0)
  for (let b = 0; b < brackets; b++) {
    n -= budgets[b]
    if (n < 0) return b
  }
  return brackets - 1
}

export function createHyperbandPruner(options: HyperbandOptions): Pruner {
  return {
    shouldPrune(trial, ctx) {
      let maxResource = options.maxResource
      if (maxResource === 'auto') {
        const steps = ctx.trials
          .filter((t) => t.state === 'complete')
          .flatMap((t) => t.intermediate.map((p) => p.step))
        if (steps.length === 0) return false
        maxResource = Math.max(...steps)
      }
      const eta = options.reductionFactor
      const brackets = bracketCount(options.minResource, maxResource, eta)
      const bracket = bracketOf(trial.number, brackets, eta)
      const others = ctx.trials.filter(
        (t) => t.number !== trial.number && bracketOf(t.number, brackets, eta) === bracket,
      )
      return successiveHalvingDecision(
        trial,
        others,
        { ...options, minEarlyStoppingRate: bracket },
        ctx.direction,
      )
    },
  }
}
