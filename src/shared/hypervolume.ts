// The hypervolume a set of loss vectors (every objective minimized) dominates up to a reference
// point: a sweep in 2-D, the WFG algorithm (While, Bradstreet & Barone 2012) above, as Optuna 3.1's
// WFG computes it. Points not strictly better than the reference in every objective add nothing.

type Point = readonly number[]

const boxVolume = (p: Point, ref: Point): number => {
  let v = 1
  for (let k = 0; k < p.length; k++) v *= ref[k] - p[k]
  return v
}

function hypervolume2d(points: readonly Point[], ref: Point): number {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || b[1] - a[1])
  let volume = 0
  let top = ref[1]
  for (const p of sorted) {
    if (p[1] >= top) continue
    volume += (ref[0] - p[0]) * (top - p[1])
    top = p[1]
  }
  return volume
}

/** The points limited by p (each coordinate raised to p's), sorted by the first, dominated ones mostly dropped. */
function limit(p: Point, rest: readonly Point[]): Point[] {
  const limited = rest.map((s) => s.map((v, k) => Math.max(v, p[k])))
  if (limited.length <= 1) return limited
  const out = [limited[0]]
  let left = 0
  for (let right = 1; right < limited.length; right++) {
    if (limited[left].some((v, k) => v > limited[right][k])) {
      left = right
      out.push(limited[left])
    }
  }
  return out
}

function wfg(points: readonly Point[], ref: Point): number {
  if (ref.length === 2) return hypervolume2d(points, ref)
  if (points.length === 0) return 0
  if (points.length === 1) return boxVolume(points[0], ref)
  const sorted = [...points].sort((a, b) => a[0] - b[0])
  let volume = 0
  for (let i = 0; i < sorted.length; i++) {
    const limited = limit(sorted[i], sorted.slice(i + 1))
    volume += boxVolume(sorted[i], ref) - (limited.length ? wfg(limited, ref) : 0)
  }
  return volume
}

/** The hypervolume of `points` against `ref` (all minimized); 0 for no point inside the reference box. */
export function hypervolume(points: readonly Point[], ref: Point): number {
  const inside = points.filter((p) => p.every((v, k) => v < ref[k]))
  return wfg(inside, ref)
}

/** What each point adds: hypervolume of all minus hypervolume without it. */
export function hypervolumeContributions(points: readonly Point[], ref: Point): number[] {
  const total = hypervolume(points, ref)
  return points.map(
    (_, i) =>
      total -
      hypervolume(
        points.filter((__, j) => j !== i),
        ref,
      ),
  )
}
