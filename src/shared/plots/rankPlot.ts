// Optuna's plot_rank: trials over two parameters, coloured by the rank of their value (0 best,
// 1 worst), so the good region shows whatever the scale of the objective.
import type { Direction } from '../study.ts'

/** Each value's rank as a fraction: 0 for the best, 1 for the worst (ties share the lower rank). */
export function valueRanks(values: readonly number[], direction: Direction): number[] {
  const n = values.length
  if (n <= 1) return values.map(() => 0)
  const sign = direction === 'minimize' ? 1 : -1
  const order = values.map((_, i) => i).sort((a, b) => sign * (values[a] - values[b]))
  const rank = new Array<number>(n)
  order.forEach((idx, r) => {
    const prev = order[r - 1]
    rank[idx] = r > 0 && values[prev] === values[idx] ? rank[prev] : r / (n - 1)
  })
  return rank
}
