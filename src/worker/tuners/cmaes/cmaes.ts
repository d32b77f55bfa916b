// CMA-ES in the unit cube (Hansen, "The CMA Evolution Strategy: A Tutorial", 2016), as plain data
// so the whole state serializes; stop tests of the `cmaes` library Optuna uses, plus a flat-fitness
// test for integer and stepped parameters.
import type { Rng } from '../../../shared/rng.ts'
import { symmetricEigen } from '../../math/symmetricEigen.ts'

export interface CmaState {
  dim: number
  popsize: number
  mean: number[]
  sigma: number
  sigma0: number
  C: number[][]
  /** Eigenvectors of C (columns) and the square roots of its eigenvalues. */
  B: number[][]
  D: number[]
  pc: number[]
  ps: number[]
  generation: number
  /** Best and worst loss of recent generations (the TolFun test). */
  funHistory: number[]
  /** Consecutive generations whose losses were all equal. */
  flatGenerations: number
}

interface Constants {
  mu: number
  weights: number[]
  muEff: number
  cSigma: number
  dSigma: number
  cc: number
  c1: number
  cMu: number
  chiN: number
  funHistTerm: number
}

export function defaultPopsize(dim: number): number {
  return 4 + Math.floor(3 * Math.log(dim))
}

function constants(dim: number, popsize: number): Constants {
  const mu = Math.floor(popsize / 2)
  const raw = Array.from({ length: mu }, (_, i) => Math.log((popsize + 1) / 2) - Math.log(i + 1))
  const sum = raw.reduce((a, b) => a + b, 0)
  const weights = raw.map((w) => w / sum)
  const muEff = 1 / weights.reduce((a, w) => a + w * w, 0)
  const cSigma = (muEff + 2) / (dim + muEff + 5)
  const dSigma = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (dim + 1)) - 1) + cSigma
  const cc = (4 + muEff / dim) / (dim + 4 + (2 * muEff) / dim)
  const c1 = 2 / ((dim + 1.3) ** 2 + muEff)
  const cMu = Math.min(1 - c1, (2 * (muEff - 2 + 1 / muEff)) / ((dim + 2) ** 2 + muEff))
  const chiN = Math.sqrt(dim) * (1 - 1 / (4 * dim) + 1 / (21 * dim * dim))
  const funHistTerm = 10 + Math.ceil((30 * dim) / popsize)
  return { mu, weights, muEff, cSigma, dSigma, cc, c1, cMu, chiN, funHistTerm }
}

const identity = (n: number): number[][] =>
  Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)))

export function createCmaState(mean: number[], sigma: number, popsize?: number): CmaState {
  const dim = mean.length
  return {
    dim,
    popsize: popsize ?? defaultPopsize(dim),
    mean: [...mean],
    sigma,
    sigma0: sigma,
    C: identity(dim),
    B: identity(dim),
    D: new Array(dim).fill(1),
    pc: new Array(dim).fill(0),
    ps: new Array(dim).fill(0),
    generation: 0,
    funHistory: [],
    flatGenerations: 0,
  }
}

/** One candidate from N(m, σ²C), redrawn while outside [0, 1]ⁿ (clipped after 100 tries). */
export function sampleCma(s: CmaState, rng: Rng): number[] {
  let x: number[] = []
  for (let attempt = 0; attempt < 100; attempt++) {
    const z = Array.from({ length: s.dim }, () => rng.normal())
    x = s.mean.map((m, i) => {
      let y = 0
      for (let k = 0; k < s.dim; k++) y += s.B[i][k] * s.D[k] * z[k]
      return m + s.sigma * y
    })
    if (x.every((v) => v >= 0 && v <= 1)) return x
  }
  return x.map((v) => Math.min(1, Math.max(0, v)))
}

/** The next generation's state from exactly `popsize` evaluated candidates. */
export function updateCma(
  s: CmaState,
  solutions: readonly { x: number[]; loss: number }[],
): CmaState {
  const n = s.dim
  const k = constants(n, s.popsize)
  const sorted = [...solutions].sort((a, b) => a.loss - b.loss)
  const ys = sorted.slice(0, k.mu).map((sol) => sol.x.map((v, i) => (v - s.mean[i]) / s.sigma))
  const yw = new Array<number>(n).fill(0)
  ys.forEach((y, j) => y.forEach((v, i) => (yw[i] += k.weights[j] * v)))
  const mean = s.mean.map((m, i) => m + s.sigma * yw[i])

  // C^{-1/2}·yw = B·D⁻¹·Bᵀ·yw
  const bty = s.B[0].map((_, c) => s.B.reduce((acc, row, r) => acc + row[c] * yw[r], 0) / s.D[c])
  const cInvSqrtYw = s.B.map((row) => row.reduce((acc, v, c) => acc + v * bty[c], 0))
  const ps = s.ps.map(
    (p, i) => (1 - k.cSigma) * p + Math.sqrt(k.cSigma * (2 - k.cSigma) * k.muEff) * cInvSqrtYw[i],
  )
  const psNorm = Math.sqrt(ps.reduce((a, v) => a + v * v, 0))
  const hSigma =
    psNorm / Math.sqrt(1 - (1 - k.cSigma) ** (2 * (s.generation + 1))) / k.chiN < 1.4 + 2 / (n + 1)
      ? 1
      : 0
  const pc = s.pc.map(
    (p, i) => (1 - k.cc) * p + hSigma * Math.sqrt(k.cc * (2 - k.cc) * k.muEff) * yw[i],
  )
  const delta = (1 - hSigma) * k.cc * (2 - k.cc)
  const C = s.C.map((row, i) =>
    row.map((cij, j) => {
      let rankMu = 0
      ys.forEach((y, m) => (rankMu += k.weights[m] * y[i] * y[j]))
      return (1 - k.c1 - k.cMu) * cij + k.c1 * (pc[i] * pc[j] + delta * cij) + k.cMu * rankMu
    }),
  )
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) C[i][j] = C[j][i] = (C[i][j] + C[j][i]) / 2
  const sigma = Math.min(1e4, s.sigma * Math.exp((k.cSigma / k.dSigma) * (psNorm / k.chiN - 1)))
  const { values, vectors } = symmetricEigen(C)
  const D = values.map((v) => Math.sqrt(Math.max(v, 1e-30)))

  const losses = solutions.map((sol) => sol.loss)
  const best = Math.min(...losses)
  const worst = Math.max(...losses)
  const funHistory = [...s.funHistory, best, worst].slice(-2 * k.funHistTerm)
  return {
    ...s,
    mean,
    sigma,
    C,
    B: vectors,
    D,
    pc,
    ps,
    generation: s.generation + 1,
    funHistory,
    flatGenerations: best === worst ? s.flatGenerations + 1 : 0,
  }
}

/** True when the search has converged or stalled and a restart would help. */
export function cmaShouldStop(s: CmaState): boolean {
  const k = constants(s.dim, s.popsize)
  const dC = s.C.map((row, i) => row[i])
  if (s.flatGenerations >= 3) return true
  if (s.generation > k.funHistTerm && Math.max(...s.funHistory) - Math.min(...s.funHistory) < 1e-12)
    return true
  const tolX = 1e-12 * s.sigma0
  if (dC.every((c) => s.sigma * c < tolX) && s.pc.every((p) => s.sigma * p < tolX)) return true
  if (s.sigma * Math.max(...s.D) > 1e4) return true
  if (s.mean.some((m, i) => m === m + 0.2 * s.sigma * Math.sqrt(dC[i]))) return true
  const axis = s.generation % s.dim
  if (s.mean.every((m, i) => m === m + 0.1 * s.sigma * s.D[axis] * s.B[i][axis])) return true
  const maxD = Math.max(...s.D)
  const minD = Math.min(...s.D)
  return (maxD * maxD) / (minD * minD) > 1e14
}
