// Runs in the tuner worker: what PPO needs from an agent, whichever network produces the policy.
// Plain Float64Arrays: the agent is small (3 × 35 LSTM units), and per-op overhead, not arithmetic,
// dominated it on tfjs `cpu` (a forward and backward pass costs about a millisecond here).
import type { Rng } from '../../../shared/rng.ts'

/** The policy for fixed weights: one distribution per step over h ∈ [−1, 1] (or ℝ, clipped), by (μ', σ). */
export interface Policy {
  /** μ'_t = tanh(m_t) ∈ (−1, 1). */
  mean: Float64Array
  /** σ_t = min(cap, 0.05 + softplus(s_t)). */
  spread: Float64Array
}

export interface PolicyWithVjp extends Policy {
  /** Gradients of Σ_t dMean_t·μ'_t + dSpread_t·σ_t with respect to each weight array (a vector–Jacobian product). */
  vjp(dMean: ArrayLike<number>, dSpread: ArrayLike<number>): Float64Array[]
}

/**
 * An agent network. Its input never depends on sampled values, so one deterministic pass gives the
 * whole policy (spec §1): a batch of episodes needs one forward pass, not one per episode.
 */
export interface PolicyNet {
  readonly steps: number
  /** Kernels and biases, row-major, in a fixed order: what Adam updates and the tuner state saves. */
  readonly weights: Float64Array[]
  policy(): Policy
  policyWithVjp(): PolicyWithVjp
}

export const INIT_LIMIT = 0.08
export const SPREAD_FLOOR = 0.05

/** uniform(−0.08, 0.08) values from the tuner's own RNG. */
export function uniformInit(shape: readonly number[], rng: Rng): Float64Array {
  const size = shape.reduce((a, b) => a * b, 1)
  const out = new Float64Array(size)
  for (let i = 0; i < size; i++) out[i] = (2 * rng.next() - 1) * INIT_LIMIT
  return out
}

export const softplus = (x: number): number =>
  x > 30 ? x : x < -30 ? Math.exp(x) : Math.log1p(Math.exp(x))
export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x))

/** The heads (m, s) → (μ', σ) and their derivatives, shared by both agents. */
export function headToPolicy(
  m: number,
  s: number,
  cap: number,
): { mean: number; spread: number; dMean: number; dSpread: number } {
  const mean = Math.tanh(m)
  const raw = SPREAD_FLOOR + softplus(s)
  return {
    mean,
    spread: Math.min(raw, cap),
    dMean: 1 - mean * mean,
    dSpread: raw <= cap ? sigmoid(s) : 0,
  }
}

/** out[c] += Σ_r x[r]·W[r, c] for W [rows, cols] row-major, x at an offset. */
export function addVecMat(
  out: Float64Array,
  x: ArrayLike<number>,
  W: Float64Array,
  rows: number,
  cols: number,
): void {
  for (let r = 0; r < rows; r++) {
    const xr = x[r]
    if (xr === 0) continue
    const row = r * cols
    for (let c = 0; c < cols; c++) out[c] += xr * W[row + c]
  }
}

/** out[r] = Σ_c W[r, c]·d[c] (the backward pass of addVecMat). */
export function matVec(
  out: Float64Array,
  W: Float64Array,
  d: ArrayLike<number>,
  rows: number,
  cols: number,
): void {
  for (let r = 0; r < rows; r++) {
    let s = 0
    const row = r * cols
    for (let c = 0; c < cols; c++) s += W[row + c] * d[c]
    out[r] = s
  }
}

/** G[r, c] += x[r]·d[c] (a weight gradient). */
export function addOuter(
  G: Float64Array,
  x: ArrayLike<number>,
  d: ArrayLike<number>,
  rows: number,
  cols: number,
): void {
  for (let r = 0; r < rows; r++) {
    const xr = x[r]
    if (xr === 0) continue
    const row = r * cols
    for (let c = 0; c < cols; c++) G[row + c] += xr * d[c]
  }
}
