// Runs in the renderer: the points the Pareto-front views draw (a trial's objective values).
export interface ObjectivePoint {
  number: number
  values: number[]
  /** False when a constraint does not hold; null without constraints. */
  feasible: boolean | null
}

/** The pairs of objectives to draw: the one pair in 2-D, every pair for three or more. */
export function objectivePairs(count: number): [number, number][] {
  const out: [number, number][] = []
  for (let i = 0; i < count; i++) for (let j = i + 1; j < count; j++) out.push([i, j])
  return out
}
