// Regret against a known optimum (synthetic functions, tabular tables): |best so far − optimum|
// after each trial, for a log-scale plot; zero regret is kept as the smallest positive figure shown.
import type { Direction } from '../study.ts'

export interface RegretCurve {
  numbers: number[]
  regret: number[]
  optimum: number
}

/** `values` in trial-number order (null: the trial had none). */
export function regretCurve(
  trials: readonly { number: number; value: number | null }[],
  direction: Direction,
  optimum: number,
): RegretCurve {
  let best: number | null = null
  const out: RegretCurve = { numbers: [], regret: [], optimum }
  for (const t of [...trials].sort((a, b) => a.number - b.number)) {
    const v = t.value
    if (v !== null && Number.isFinite(v))
      if (best === null || (direction === 'minimize' ? v < best : v > best)) best = v
    if (best === null) continue
    out.numbers.push(t.number)
    out.regret.push(Math.abs(best - optimum))
  }
  return out
}
