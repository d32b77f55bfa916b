// The empirical distribution function of a study's values (Optuna's plot_edf): the fraction of
// trials whose value is at most x, as a step function over the sorted values.

export interface EmpiricalDistribution {
  /** The sorted finite values. */
  x: number[]
  /** y[i]: fraction of values ≤ x[i]. */
  y: number[]
}

export function empiricalDistribution(values: readonly number[]): EmpiricalDistribution {
  const x = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b)
  return { x, y: x.map((_, i) => (i + 1) / x.length) }
}
