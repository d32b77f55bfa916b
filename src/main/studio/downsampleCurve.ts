// Runs in main. Learning curves of big studies are cut to a few hundred points before they cross to the renderer.

/**
 * Largest-triangle-three-buckets: keeps `maxPoints` points of (xs, ys) that preserve the curve's
 * shape (peaks and dips survive, flat stretches thin out). First and last points are always kept;
 * input shorter than maxPoints is returned as it is. xs must be ascending.
 */
export function downsampleCurve(
  xs: readonly number[],
  ys: readonly number[],
  maxPoints: number,
): { xs: number[]; ys: number[] } {
  const n = xs.length
  if (maxPoints >= n || n <= 2) return { xs: [...xs], ys: [...ys] }
  const keep = Math.max(2, Math.floor(maxPoints))
  const outX = [xs[0]]
  const outY = [ys[0]]
  if (keep === 2) return { xs: [xs[0], xs[n - 1]], ys: [ys[0], ys[n - 1]] }
  const bucket = (n - 2) / (keep - 2)
  let a = 0
  for (let i = 0; i < keep - 2; i++) {
    const nextStart = Math.floor((i + 1) * bucket) + 1
    const nextEnd = Math.min(n, Math.floor((i + 2) * bucket) + 1)
    let avgX = 0
    let avgY = 0
    for (let j = nextStart; j < nextEnd; j++) {
      avgX += xs[j]
      avgY += ys[j]
    }
    const count = Math.max(1, nextEnd - nextStart)
    avgX /= count
    avgY /= count
    const start = Math.floor(i * bucket) + 1
    const end = Math.floor((i + 1) * bucket) + 1
    let best = start
    let bestArea = -1
    for (let j = start; j < end; j++) {
      const area = Math.abs((xs[a] - avgX) * (ys[j] - ys[a]) - (xs[a] - xs[j]) * (avgY - ys[a]))
      if (area > bestArea) {
        bestArea = area
        best = j
      }
    }
    outX.push(xs[best])
    outY.push(ys[best])
    a = best
  }
  outX.push(xs[n - 1])
  outY.push(ys[n - 1])
  return { xs: outX, ys: outY }
}
