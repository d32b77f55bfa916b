// Limited-memory BFGS with a backtracking (Armijo) line search, for small smooth problems such as
// fitting a GP's kernel hyperparameters. A non-finite value (a failed Cholesky) counts as "too far".

export interface Objective {
  (x: Float64Array): { value: number; gradient: Float64Array }
}

export interface LbfgsResult {
  x: Float64Array
  value: number
  iterations: number
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i] * b[i]
  return s
}
const maxAbs = (a: Float64Array): number => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0)

export function minimizeLbfgs(
  f: Objective,
  x0: ArrayLike<number>,
  options: { maxIterations: number; gtol: number; memory?: number },
): LbfgsResult {
  const m = options.memory ?? 8
  const n = x0.length
  let x: Float64Array = Float64Array.from(x0)
  let { value, gradient } = f(x)
  if (!Number.isFinite(value)) return { x, value, iterations: 0 }
  const ss: Float64Array[] = []
  const ys: Float64Array[] = []
  let iterations = 0
  for (; iterations < options.maxIterations; iterations++) {
    if (maxAbs(gradient) < options.gtol) break
    // two-loop recursion: direction = −H·g
    const q = Float64Array.from(gradient)
    const alphas: number[] = []
    for (let i = ss.length - 1; i >= 0; i--) {
      const a = dot(ss[i], q) / dot(ys[i], ss[i])
      alphas[i] = a
      for (let j = 0; j < n; j++) q[j] -= a * ys[i][j]
    }
    const last = ss.length - 1
    const gamma =
      last >= 0
        ? dot(ss[last], ys[last]) / dot(ys[last], ys[last])
        : 1 / Math.max(1, maxAbs(gradient))
    for (let j = 0; j < n; j++) q[j] *= gamma
    for (let i = 0; i < ss.length; i++) {
      const b = dot(ys[i], q) / dot(ys[i], ss[i])
      for (let j = 0; j < n; j++) q[j] += ss[i][j] * (alphas[i] - b)
    }
    const direction = q.map((v) => -v)
    let slope = dot(direction, gradient)
    if (!(slope < 0)) {
      // not a descent direction: restart from steepest descent
      ss.length = 0
      ys.length = 0
      const scale = 1 / Math.max(1, maxAbs(gradient))
      for (let j = 0; j < n; j++) direction[j] = -gradient[j] * scale
      slope = dot(direction, gradient)
    }
    let step = 1
    let accepted: { x: Float64Array; value: number; gradient: Float64Array } | null = null
    for (let k = 0; k < 30; k++) {
      const xNew = x.map((v, j) => v + step * direction[j])
      const r = f(xNew)
      if (Number.isFinite(r.value) && r.value <= value + 1e-4 * step * slope) {
        accepted = { x: xNew, value: r.value, gradient: r.gradient }
        break
      }
      step *= 0.5
    }
    if (!accepted) break
    const s = accepted.x.map((v, j) => v - x[j])
    const y = accepted.gradient.map((v, j) => v - gradient[j])
    if (dot(s, y) > 1e-10) {
      ss.push(s)
      ys.push(y)
      if (ss.length > m) {
        ss.shift()
        ys.shift()
      }
    }
    const improvement = value - accepted.value
    x = accepted.x
    value = accepted.value
    gradient = accepted.gradient
    if (improvement < 1e-10 * Math.max(1, Math.abs(value))) {
      iterations++
      break
    }
  }
  return { x, value, iterations }
}
