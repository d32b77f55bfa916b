// Gaussian-process regression with a Matérn 5/2 ARD kernel, its hyperparameters fitted by maximizing
// the marginal likelihood plus Optuna's GP priors (MAP), with L-BFGS from a few starting points.
import { minimizeLbfgs } from '../../math/lbfgs.ts'

export const MIN_NOISE_VAR = 1e-6
const LOG_2PI = Math.log(2 * Math.PI)

export interface GpHyperparameters {
  /** 1/ℓ² per input dimension. */
  inverseSquaredLengthscales: number[]
  /** Signal variance s². */
  kernelScale: number
  /** Observation noise variance σ² (at least MIN_NOISE_VAR). */
  noiseVar: number
}

export interface GaussianProcess {
  hyperparameters: GpHyperparameters
  /** Posterior mean and variance of the latent function at each point. */
  posterior(xs: readonly ArrayLike<number>[]): { mean: Float64Array; variance: Float64Array }
  /** y_i minus the posterior mean at x_i given the other points: α_i / [K⁻¹]_ii (Rasmussen & Williams, eq. 5.12). */
  leaveOneOutResiduals(): Float64Array
}

/** Matérn 5/2 as a function of the squared scaled distance d² (unit signal variance). */
export function matern52(d2: number): number {
  const r5 = Math.sqrt(5 * d2)
  return Math.exp(-r5) * ((5 / 3) * d2 + r5 + 1)
}

/** d/d(d²) of matern52, finite at 0. */
function matern52Derivative(d2: number): number {
  const r5 = Math.sqrt(5 * d2)
  return (-5 / 6) * (r5 + 1) * Math.exp(-r5)
}

function scaledDistance(a: ArrayLike<number>, b: ArrayLike<number>, lambda: ArrayLike<number>) {
  let d2 = 0
  for (let d = 0; d < lambda.length; d++) {
    const t = a[d] - b[d]
    d2 += lambda[d] * t * t
  }
  return d2
}

/** In-place lower Cholesky factor of a row-major n×n matrix; false when not positive definite. */
function choleskyInPlace(A: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    let s = A[j * n + j]
    for (let k = 0; k < j; k++) s -= A[j * n + k] * A[j * n + k]
    if (!(s > 0)) return false
    const ljj = Math.sqrt(s)
    A[j * n + j] = ljj
    for (let i = j + 1; i < n; i++) {
      let t = A[i * n + j]
      for (let k = 0; k < j; k++) t -= A[i * n + k] * A[j * n + k]
      A[i * n + j] = t / ljj
    }
    for (let k = j + 1; k < n; k++) A[j * n + k] = 0
  }
  return true
}

/** Solves L·x = b (forward substitution) in place. */
function forwardSolve(L: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i]
    for (let k = 0; k < i; k++) s -= L[i * n + k] * b[k]
    b[i] = s / L[i * n + i]
  }
}

/** Candidates whose posterior variances are solved together (forwardSolve4). */
const SOLVE_BLOCK = 4

/**
 * forwardSolve on four right-hand sides at once, stored one after another in B: each gets exactly
 * forwardSolve's operations in its order, but four independent sums run side by side and share each
 * load of L, which makes the posterior of many candidates about twice as fast.
 */
function forwardSolve4(L: Float64Array, n: number, B: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const row = i * n
    let s0 = B[i]
    let s1 = B[n + i]
    let s2 = B[2 * n + i]
    let s3 = B[3 * n + i]
    for (let k = 0; k < i; k++) {
      const l = L[row + k]
      s0 -= l * B[k]
      s1 -= l * B[n + k]
      s2 -= l * B[2 * n + k]
      s3 -= l * B[3 * n + k]
    }
    const diagonal = L[row + i]
    B[i] = s0 / diagonal
    B[n + i] = s1 / diagonal
    B[2 * n + i] = s2 / diagonal
    B[3 * n + i] = s3 / diagonal
  }
}

/** Solves Lᵀ·x = b (back substitution) in place. */
function backSolve(L: Float64Array, n: number, b: Float64Array): void {
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * b[k]
    b[i] = s / L[i * n + i]
  }
}

function covariance(
  X: readonly ArrayLike<number>[],
  hyper: GpHyperparameters,
  jitter: number,
): Float64Array {
  const n = X.length
  const K = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    K[i * n + i] = hyper.kernelScale + hyper.noiseVar + jitter
    for (let j = 0; j < i; j++) {
      const k =
        hyper.kernelScale * matern52(scaledDistance(X[i], X[j], hyper.inverseSquaredLengthscales))
      K[i * n + j] = k
      K[j * n + i] = k
    }
  }
  return K
}

/** The GP posterior for fixed hyperparameters (zero prior mean: standardize y first). */
export function createGaussianProcess(
  X: readonly ArrayLike<number>[],
  y: readonly number[],
  hyper: GpHyperparameters,
): GaussianProcess {
  const n = X.length
  let L: Float64Array | null = null
  for (let jitter = 0; L === null; jitter = jitter === 0 ? 1e-10 : jitter * 10) {
    if (jitter > 1e-2) throw new Error('GP covariance is not positive definite')
    const K = covariance(X, hyper, jitter * hyper.kernelScale)
    if (choleskyInPlace(K, n)) L = K
  }
  const chol = L
  const alpha = Float64Array.from(y)
  forwardSolve(chol, n, alpha)
  backSolve(chol, n, alpha)
  const D = hyper.inverseSquaredLengthscales.length
  const lambda = Float64Array.from(hyper.inverseSquaredLengthscales)
  const flat = new Float64Array(n * D)
  X.forEach((x, i) => {
    for (let d = 0; d < D; d++) flat[i * D + d] = x[d]
  })
  const block = new Float64Array(SOLVE_BLOCK * n)
  return {
    hyperparameters: hyper,
    posterior(xs) {
      const mean = new Float64Array(xs.length)
      const variance = new Float64Array(xs.length)
      for (let first = 0; first < xs.length; first += SOLVE_BLOCK) {
        const count = Math.min(SOLVE_BLOCK, xs.length - first)
        for (let j = 0; j < count; j++) {
          const x = xs[first + j]
          let mu = 0
          for (let i = 0; i < n; i++) {
            let d2 = 0
            for (let d = 0; d < D; d++) {
              const t = x[d] - flat[i * D + d]
              d2 += lambda[d] * t * t
            }
            const kx = hyper.kernelScale * matern52(d2)
            block[j * n + i] = kx
            mu += kx * alpha[i]
          }
          mean[first + j] = mu
        }
        if (count === SOLVE_BLOCK) forwardSolve4(chol, n, block)
        else for (let j = 0; j < count; j++) forwardSolve(chol, n, block.subarray(j * n, j * n + n))
        for (let j = 0; j < count; j++) {
          let vv = 0
          for (let i = 0; i < n; i++) vv += block[j * n + i] * block[j * n + i]
          variance[first + j] = Math.max(0, hyper.kernelScale - vv)
        }
      }
      return { mean, variance }
    },
    leaveOneOutResiduals() {
      const out = new Float64Array(n)
      const e = new Float64Array(n)
      for (let i = 0; i < n; i++) {
        e.fill(0)
        e[i] = 1
        forwardSolve(chol, n, e)
        let kinv = 0
        for (let j = i; j < n; j++) kinv += e[j] * e[j]
        out[i] = alpha[i] / kinv
      }
      return out
    },
  }
}

/** Raw (unconstrained) parameters: log λ per dimension, log s², log(σ² − MIN_NOISE_VAR). */
export function toRaw(h: GpHyperparameters): Float64Array {
  return Float64Array.from([
    ...h.inverseSquaredLengthscales.map(Math.log),
    Math.log(h.kernelScale),
    Math.log(Math.max(h.noiseVar - MIN_NOISE_VAR, 1e-12)),
  ])
}

export function fromRaw(raw: ArrayLike<number>): GpHyperparameters {
  const D = raw.length - 2
  return {
    inverseSquaredLengthscales: Array.from({ length: D }, (_, d) => Math.exp(raw[d])),
    kernelScale: Math.exp(raw[D]),
    noiseVar: MIN_NOISE_VAR + Math.exp(raw[D + 1]),
  }
}

/**
 * Log marginal likelihood log p(y | X, θ) plus the log prior of Optuna's GP sampler, and its
 * gradient with respect to the raw parameters. Non-finite when the covariance is not positive definite.
 */
export function logPosterior(
  X: readonly ArrayLike<number>[],
  y: readonly number[],
  raw: ArrayLike<number>,
  withPrior = true,
): { value: number; gradient: Float64Array } {
  const n = X.length
  const D = raw.length - 2
  const h = fromRaw(raw)
  const lambda = h.inverseSquaredLengthscales
  const gradient = new Float64Array(D + 2)
  const K = covariance(X, h, 0)
  // matern52 and the scaled squared distance per pair, reused for the gradient
  const M = new Float64Array(n * n)
  const D2 = new Float64Array(n * n)
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) {
      M[i * n + j] = K[i * n + j] / h.kernelScale
      D2[i * n + j] = scaledDistance(X[i], X[j], lambda)
    }
  if (!choleskyInPlace(K, n)) return { value: -Infinity, gradient }
  const L = K
  const alpha = Float64Array.from(y)
  forwardSolve(L, n, alpha)
  let quad = 0
  for (let i = 0; i < n; i++) quad += alpha[i] * alpha[i]
  backSolve(L, n, alpha)
  let logDet = 0
  for (let i = 0; i < n; i++) logDet += Math.log(L[i * n + i])
  let value = -0.5 * quad - logDet - 0.5 * n * LOG_2PI

  // K⁻¹ = L⁻ᵀL⁻¹; row c of U holds column c of L⁻¹ (zero above), so both products read rows
  const U = new Float64Array(n * n)
  for (let c = 0; c < n; c++) {
    const row = c * n
    U[row + c] = 1 / L[c * n + c]
    for (let i = c + 1; i < n; i++) {
      let t = 0
      for (let k = c; k < i; k++) t -= L[i * n + k] * U[row + k]
      U[row + i] = t / L[i * n + i]
    }
  }
  // W = ααᵀ − K⁻¹; dlogp/dθ = ½ tr(W ∂K/∂θ)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let kinv = 0
      const ri = i * n
      const rj = j * n
      for (let k = i; k < n; k++) kinv += U[ri + k] * U[rj + k]
      const w = alpha[i] * alpha[j] - kinv
      if (i === j) {
        gradient[D] += 0.5 * w * h.kernelScale
        gradient[D + 1] += 0.5 * w * (h.noiseVar - MIN_NOISE_VAR)
        continue
      }
      const m = M[i * n + j]
      gradient[D] += w * h.kernelScale * m
      const dm = w * h.kernelScale * matern52Derivative(D2[i * n + j])
      const xi = X[i]
      const xj = X[j]
      for (let d = 0; d < D; d++) {
        const t = xi[d] - xj[d]
        gradient[d] += dm * lambda[d] * t * t
      }
    }
  }
  if (withPrior) {
    // Optuna's default_log_prior: −(0.1/λ + 0.1λ) per dimension, Gamma(2, 1) on s², Gamma(1.1, 30) on σ²
    for (let d = 0; d < D; d++) {
      value += -(0.1 / lambda[d] + 0.1 * lambda[d])
      gradient[d] += 0.1 / lambda[d] - 0.1 * lambda[d]
    }
    value += Math.log(h.kernelScale) - h.kernelScale
    gradient[D] += 1 - h.kernelScale
    value += 0.1 * Math.log(h.noiseVar) - 30 * h.noiseVar
    gradient[D + 1] += (0.1 / h.noiseVar - 30) * (h.noiseVar - MIN_NOISE_VAR)
  }
  return { value, gradient }
}

export function defaultHyperparameters(dimensions: number): GpHyperparameters {
  return { inverseSquaredLengthscales: new Array(dimensions).fill(1), kernelScale: 1, noiseVar: 1 }
}

/** MAP hyperparameters: L-BFGS from each start (e.g. the previous fit and the defaults), best kept. */
export function fitGpHyperparameters(
  X: readonly ArrayLike<number>[],
  y: readonly number[],
  starts: readonly GpHyperparameters[],
  options: { maxIterations?: number; gtol?: number } = {},
): GpHyperparameters {
  let best: { value: number; x: Float64Array } | null = null
  for (const start of starts) {
    const result = minimizeLbfgs(
      (raw) => {
        const r = logPosterior(X, y, raw)
        return { value: -r.value, gradient: r.gradient.map((g) => -g) }
      },
      toRaw(start),
      { maxIterations: options.maxIterations ?? 60, gtol: options.gtol ?? 1e-2 },
    )
    if (Number.isFinite(result.value) && (best === null || result.value < best.value))
      best = { value: result.value, x: result.x }
  }
  if (best === null) return defaultHyperparameters(X[0]?.length ?? 0)
  // keep the fit away from degenerate extremes that make the covariance singular
  const raw = best.x.map((v) => Math.min(20, Math.max(-20, v)))
  return fromRaw(raw)
}
