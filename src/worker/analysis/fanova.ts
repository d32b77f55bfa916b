// Runs in the analysis worker: functional ANOVA on a fitted forest (Hutter, Hoos & Leyton-Brown 2014),
// as Optuna's FanovaImportanceEvaluator computes it. Each tree is a piecewise-constant function on a
// partition of the unit cube into boxes; its variance under the uniform measure and the variance of
// each one-dimensional marginal are exact sums over those boxes.
import type { RandomForest, RegressionTree } from './randomForest.ts'

export interface FanovaResult {
  /** Per feature: the mean over trees of (marginal variance ÷ tree variance), not normalized. */
  individual: number[]
  /** Per feature: the standard deviation of that fraction over the trees. */
  std: number[]
  /** Trees with a non-zero variance (a single-leaf tree explains nothing and is left out). */
  treesUsed: number
}

interface Leaves {
  lo: Float64Array[]
  hi: Float64Array[]
  value: number[]
}

function collectLeaves(tree: RegressionTree, d: number): Leaves {
  const out: Leaves = { lo: [], hi: [], value: [] }
  const lo = new Float64Array(d)
  const hi = new Float64Array(d).fill(1)
  const visit = (node: number): void => {
    const f = tree.feature[node]
    if (f < 0) {
      out.lo.push(lo.slice())
      out.hi.push(hi.slice())
      out.value.push(tree.value[node])
      return
    }
    const t = tree.threshold[node]
    const savedHi = hi[f]
    const savedLo = lo[f]
    // A threshold outside the current cell (features outside [0, 1]) leaves one child empty.
    hi[f] = Math.max(lo[f], Math.min(savedHi, t))
    visit(tree.left[node])
    hi[f] = savedHi
    lo[f] = Math.min(hi[f], Math.max(savedLo, t))
    visit(tree.right[node])
    lo[f] = savedLo
  }
  visit(0)
  return out
}

/** Per feature: marginal variance ÷ total variance of one tree, or null when the tree is constant. */
export function treeImportance(tree: RegressionTree, d: number): number[] | null {
  const { lo, hi, value } = collectLeaves(tree, d)
  const L = value.length
  const vol = new Float64Array(L)
  let mean = 0
  for (let l = 0; l < L; l++) {
    let v = 1
    for (let f = 0; f < d; f++) v *= hi[l][f] - lo[l][f]
    vol[l] = v
    mean += v * value[l]
  }
  // Centred leaf values keep the variances free of cancellation.
  const c = value.map((v) => v - mean)
  let total = 0
  for (let l = 0; l < L; l++) total += vol[l] * c[l] * c[l]
  if (!(total > 0)) return null

  const splitsOn: number[][] = Array.from({ length: d }, () => [0, 1])
  for (let node = 0; node < tree.feature.length; node++) {
    const f = tree.feature[node]
    if (f >= 0) splitsOn[f].push(Math.min(1, Math.max(0, tree.threshold[node])))
  }
  const out = new Array<number>(d).fill(0)
  for (let f = 0; f < d; f++) {
    if (splitsOn[f].length === 2) continue
    const bounds = [...new Set(splitsOn[f])].sort((a, b) => a - b)
    const index = new Map(bounds.map((b, i) => [b, i]))
    const m = bounds.length - 1
    // The marginal over f is constant on each interval between consecutive thresholds; a leaf adds
    // its value × (volume outside f) to every interval its box covers (a difference array).
    const diff = new Float64Array(m + 1)
    for (let l = 0; l < L; l++) {
      const width = hi[l][f] - lo[l][f]
      if (!(width > 0)) continue
      const w = (c[l] * vol[l]) / width
      diff[index.get(lo[l][f])!] += w
      diff[index.get(hi[l][f])!] -= w
    }
    let marginal = 0
    let variance = 0
    for (let j = 0; j < m; j++) {
      marginal += diff[j]
      variance += (bounds[j + 1] - bounds[j]) * marginal * marginal
    }
    out[f] = variance / total
  }
  return out
}

/** The individual (first-order) importance of each feature, averaged over the forest's trees. */
export function fanovaImportance(forest: RandomForest): FanovaResult {
  const d = forest.nFeatures
  const sum = new Array<number>(d).fill(0)
  const sumSq = new Array<number>(d).fill(0)
  let used = 0
  for (const tree of forest.trees) {
    const imp = treeImportance(tree, d)
    if (!imp) continue
    used++
    for (let f = 0; f < d; f++) {
      sum[f] += imp[f]
      sumSq[f] += imp[f] * imp[f]
    }
  }
  if (used === 0) return { individual: sum, std: sumSq, treesUsed: 0 }
  const individual = sum.map((s) => s / used)
  const std = sumSq.map((s, f) => Math.sqrt(Math.max(0, s / used - individual[f] ** 2)))
  return { individual, std, treesUsed: used }
}
