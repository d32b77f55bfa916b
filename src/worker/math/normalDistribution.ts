// Normal-distribution functions accurate far into the tails (TPE's truncated kernels, GP's log-EI).
const SQRT_PI = Math.sqrt(Math.PI)
const SQRT2 = Math.SQRT2
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI)

/** Scaled complementary error function e^{x²}·erfc(x), relative error below 1e-13 everywhere. */
export function erfcx(x: number): number {
  if (x < 0) return 2 * Math.exp(x * x) - erfcx(-x)
  if (x < 1.9) {
    // erf(x) = (2/√π)·e^{−x²}·Σ 2ⁿx^{2n+1}/(2n+1)!!, a series of positive terms (no cancellation)
    let term = x
    let sum = x
    for (let n = 1; n < 200; n++) {
      term *= (2 * x * x) / (2 * n + 1)
      sum += term
      if (term < 1e-17 * sum) break
    }
    return Math.exp(x * x) - (2 / SQRT_PI) * sum
  }
  // Laplace continued fraction, evaluated backwards; converges fast once x is not small
  const terms = x < 3 ? 70 : x < 5 ? 40 : 20
  let t = x
  for (let k = terms; k >= 1; k--) t = x + k / 2 / t
  return 1 / (SQRT_PI * t)
}

export function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x)
  if (x > 27) return 0
  return erfcx(x) * Math.exp(-x * x)
}

/** Φ(z), the standard normal CDF. */
export function normCdf(z: number): number {
  return 0.5 * erfc(-z / SQRT2)
}

/** log Φ(z), finite for every finite z. */
export function logNormCdf(z: number): number {
  if (z < -1) return Math.log(0.5 * erfcx(-z / SQRT2)) - (z * z) / 2
  if (z > 5) return Math.log1p(-0.5 * erfc(z / SQRT2))
  return Math.log(normCdf(z))
}

export function normLogPdf(z: number): number {
  return -0.5 * z * z - LOG_SQRT_2PI
}

/** log(1 − e^x) for x ≤ 0, accurate near 0 and far below it. */
export function log1mexp(x: number): number {
  return x > -Math.LN2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x))
}

/** log(Φ(b) − Φ(a)) for a ≤ b, computed in the tail where it is accurate. */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) {
    const lb = logNormCdf(b)
    return a === -Infinity ? lb : lb + log1mexp(logNormCdf(a) - lb)
  }
  if (a > 0) return logGaussMass(-b, -a)
  return Math.log1p(-normCdf(a) - normCdf(-b))
}

/**
 * log(φ(z) + z·Φ(z)), the log of expected improvement per unit of standard deviation, stable for
 * very negative z (Ament et al. 2023, "Unexpected Improvements to Expected Improvement").
 */
export function logH(z: number): number {
  if (z > -1) return Math.log(Math.exp(normLogPdf(z)) + z * normCdf(z))
  if (z < -1e6) return normLogPdf(z) - 2 * Math.log(-z)
  // φ(z) + zΦ(z) = φ(z)·(1 − |z|·Φ(z)/φ(z)) and Φ(z)/φ(z) = √(π/2)·erfcx(−z/√2)
  const w = -z * Math.sqrt(Math.PI / 2) * erfcx(-z / SQRT2)
  return normLogPdf(z) + Math.log1p(-w)
}

/** The x with log Φ(x) = y (y ≤ 0), to full precision in both tails. */
export function logNormCdfInverse(y: number): number {
  if (y >= 0) return Infinity
  if (y === -Infinity) return -Infinity
  // Abramowitz & Stegun 26.2.23 (error < 4.5e-4) from the smaller tail, then Newton on log Φ, which
  // is concave, so every step after the first approaches the root from below.
  const upper = y > -Math.LN2
  const t = Math.sqrt(-2 * (upper ? Math.log(-Math.expm1(y)) : y))
  const tail =
    t -
    (2.515517 + t * (0.802853 + t * 0.010328)) /
      (1 + t * (1.432788 + t * (0.189269 + t * 0.001308)))
  let x = upper ? tail : -tail
  for (let i = 0; i < 20; i++) {
    const lx = logNormCdf(x)
    const step = (lx - y) * Math.exp(lx - normLogPdf(x))
    x -= step
    if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(x))) break
  }
  return x
}

/**
 * Quantile q of the standard normal truncated to [a, b], computed as Optuna 3.1's _truncnorm.ppf
 * does (in log space from the nearer tail), so the same uniform draw gives the same sample.
 */
export function truncNormPpf(q: number, a: number, b: number): number {
  if (a === b) return NaN
  if (q === 0) return a
  if (q === 1) return b
  const mass = logGaussMass(a, b)
  if (a < 0) return logNormCdfInverse(logAddExp(logNormCdf(a), Math.log(q) + mass))
  return -logNormCdfInverse(logAddExp(logNormCdf(-b), Math.log1p(-q) + mass))
}

function logAddExp(x: number, y: number): number {
  const m = Math.max(x, y)
  return m === -Infinity ? m : m + Math.log1p(Math.exp(-Math.abs(x - y)))
}
