// Runs in the tuner worker: ranks with ties, for scale-free rewards and targets.

/** 0-based ranks of the values in ascending order; tied values share their mean rank. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b])
  const out = new Array<number>(values.length)
  for (let i = 0; i < order.length;) {
    let j = i
    while (j + 1 < order.length && values[order[j + 1]] === values[order[i]]) j++
    for (let k = i; k <= j; k++) out[order[k]] = (i + j) / 2
    i = j + 1
  }
  return out
}
