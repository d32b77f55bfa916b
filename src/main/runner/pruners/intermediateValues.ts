// Reading a trial's learning curve, shared by the pruners.
import type { PrunerTrial } from '../../../shared/pruner.ts'
import type { IntermediateValue } from '../../../shared/trial.ts'

/** The curve sorted by step (the contract says it is, but pruners must not depend on callers). */
export function sortedCurve(trial: PrunerTrial): IntermediateValue[] {
  const curve = [...trial.intermediate]
  for (let i = 1; i < curve.length; i++)
    if (curve[i].step < curve[i - 1].step) return curve.sort((a, b) => a.step - b.step)
  return curve
}

export function lastPoint(trial: PrunerTrial): IntermediateValue | null {
  let last: IntermediateValue | null = null
  for (const p of trial.intermediate) if (!last || p.step >= last.step) last = p
  return last
}

export function valueAtStep(trial: PrunerTrial, step: number): number | undefined {
  for (const p of trial.intermediate) if (p.step === step) return p.value
  return undefined
}

/** The first value reported at a step ≥ `step` (where a trial enters a rung). */
export function firstValueFrom(trial: PrunerTrial, step: number): number | undefined {
  let found: IntermediateValue | undefined
  for (const p of trial.intermediate)
    if (p.step >= step && (!found || p.step < found.step)) found = p
  return found?.value
}

/** numpy's nanpercentile with linear interpolation; NaN when there is nothing to rank. */
export function nanPercentile(values: readonly number[], q: number): number {
  const s = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b)
  if (s.length === 0) return NaN
  const pos = ((s.length - 1) * q) / 100
  const lo = Math.floor(pos)
  const hi = Math.min(lo + 1, s.length - 1)
  return s[lo] + (s[hi] - s[lo]) * (pos - lo)
}
