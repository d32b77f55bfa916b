// Pareto dominance over loss vectors (every objective minimized: a maximized value enters negated),
// non-dominated sorting and crowding distance as Optuna 3.1's NSGA-II computes them, so a tuner built
// on these reproduces its selections, and the UI's front is the same front.

/** a dominates b: no worse in every objective and not equal (Optuna's _dominates on normalized values). */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let equal = true
  for (let k = 0; k < a.length; k++) {
    if (a[k] > b[k]) return false
    if (a[k] !== b[k]) equal = false
  }
  return !equal
}

/** A point for constrained domination: its losses and its total violation (0 = feasible, null = never reported). */
export interface ConstrainedPoint {
  losses: readonly number[]
  violation: number | null
}

/**
 * Deb's constrained domination as Optuna 3.1 applies it: a point with constraint values beats one
 * without; feasible beats infeasible; two infeasible points compare by total violation; two feasible
 * ones by Pareto dominance.
 */
export function constrainedDominates(a: ConstrainedPoint, b: ConstrainedPoint): boolean {
  if (a.violation === null && b.violation === null) return dominates(a.losses, b.losses)
  if (a.violation === null) return false
  if (b.violation === null) return true
  if (a.violation === 0 && b.violation === 0) return dominates(a.losses, b.losses)
  if (a.violation === 0) return true
  if (b.violation === 0) return false
  return a.violation < b.violation
}

/**
 * Fronts by non-domination rank (rank 0 first), as indices into `items`. Within a front the order is
 * the one Optuna's _fast_non_dominated_sort leaves (a taken item's slot gets the last item), which
 * its elite selection and parent draws depend on.
 */
export function nonDominatedSort<T>(
  items: readonly T[],
  better: (a: T, b: T) => boolean,
): number[][] {
  const dominatedCount = new Array<number>(items.length).fill(0)
  const dominatesList: number[][] = items.map(() => [])
  for (let p = 0; p < items.length; p++)
    for (let q = p + 1; q < items.length; q++) {
      if (better(items[p], items[q])) {
        dominatesList[p].push(q)
        dominatedCount[q]++
      } else if (better(items[q], items[p])) {
        dominatesList[q].push(p)
        dominatedCount[p]++
      }
    }
  const population = items.map((_, i) => i)
  const fronts: number[][] = []
  while (population.length > 0) {
    const front: number[] = []
    let i = 0
    while (i < population.length) {
      if (dominatedCount[population[i]] === 0) {
        const individual = population[i]
        const last = population.pop() as number
        if (i < population.length) population[i] = last
        front.push(individual)
      } else i++
    }
    for (const x of front) for (const y of dominatesList[x]) dominatedCount[y]--
    fronts.push(front)
  }
  return fronts
}

/** Indices of the non-dominated points, in index order. */
export function paretoFront(points: readonly (readonly number[])[]): number[] {
  return points
    .map((_, i) => i)
    .filter((i) => !points.some((other, j) => j !== i && dominates(other, points[i])))
}

/**
 * Optuna 3.1's crowding distance (nsgaii/_sampler.py): per objective, the gap between the two
 * neighbours over the finite range, summed; the extremes border ±Infinity, so they get Infinity.
 * Optuna sorts the population in place objective after objective (stable sorts), so `order` is the
 * order the last sort left, which a later stable sort by distance starts from.
 */
function crowding(values: readonly (readonly number[])[]): { distance: number[]; order: number[] } {
  const n = values.length
  const distance = new Array<number>(n).fill(0)
  let order = values.map((_, i) => i)
  if (n === 0) return { distance, order }
  for (let k = 0; k < values[0].length; k++) {
    order = [...order].sort((a, b) => values[a][k] - values[b][k])
    if (values[order[0]][k] === values[order[n - 1]][k]) continue
    const vs = [-Infinity, ...order.map((i) => values[i][k]), Infinity]
    const vMin = vs.find((x) => x !== -Infinity) as number
    const vMax = [...vs].reverse().find((x) => x !== Infinity) as number
    let width = vMax - vMin
    if (!(width > 0)) width = 1
    for (let j = 0; j < n; j++) {
      const gap = vs[j] === vs[j + 2] ? 0 : vs[j + 2] - vs[j]
      distance[order[j]] += gap / width
    }
  }
  return { distance, order }
}

/** Each point's crowding distance (larger: more isolated; the extremes of an objective get Infinity). */
export const crowdingDistance = (values: readonly (readonly number[])[]): number[] =>
  crowding(values).distance

/** Indices from the most to the least isolated, ties ordered as Optuna's _crowding_distance_sort leaves them. */
export function crowdingDistanceSort(values: readonly (readonly number[])[]): number[] {
  const { distance, order } = crowding(values)
  return [...order].sort((a, b) => distance[a] - distance[b]).reverse()
}
