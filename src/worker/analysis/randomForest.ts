// Runs in the analysis worker: a regression random forest (CART on variance reduction) for fANOVA.
// Every split score is a function of sums of y and y², so a forest fitted to −y has the same
// structure as one fitted to y, bit for bit (importance is the same for maximize and minimize).
import { createRng, type Rng } from '../../shared/rng.ts'

export interface ForestOptions {
  seed: number
  /** Default 64 (Optuna's fANOVA). */
  nTrees?: number
  /** Default 64. */
  maxDepth?: number
  /** Default 1. */
  minSamplesLeaf?: number
  /** Default 2. */
  minSamplesSplit?: number
  /** Fraction of the features tried at each split, in (0, 1]; default 1 (all, as Optuna). */
  maxFeatures?: number
  /** Resample the rows with replacement for each tree; default true. */
  bootstrap?: boolean
  /**
   * Per feature: the number of choices of a categorical encoded as (i + 0.5) / k, or null. Its
   * thresholds snap to choice boundaries i / k, so a tree's cells measure whole choices.
   */
  categories?: readonly (number | null)[]
  /** performance.now() after which no further tree is grown (the first always is). */
  deadline?: number
}

/** Nodes in flat arrays; feature −1 marks a leaf. Rows with x[feature] <= threshold go left. */
export interface RegressionTree {
  feature: Int32Array
  threshold: Float64Array
  left: Int32Array
  right: Int32Array
  value: Float64Array
}

export interface RandomForest {
  nFeatures: number
  trees: RegressionTree[]
  /** True when the deadline stopped the forest before nTrees. */
  truncated: boolean
}

interface TreeParams {
  maxDepth: number
  minSamplesLeaf: number
  minSamplesSplit: number
  mtry: number
  categories: readonly (number | null)[]
}

interface Split {
  feature: number
  threshold: number
  score: number
}

/** A threshold t with a <= t < b: the midpoint, or the choice boundary between a and b. */
function snapThreshold(a: number, b: number, k: number | null): number {
  const mid = a + (b - a) / 2
  if (k !== null) {
    const t = Math.round(mid * k) / k
    if (a <= t && t < b) return t
  }
  return mid >= b ? a : mid
}

function bestSplitOn(
  f: number,
  order: Int32Array,
  start: number,
  end: number,
  col: Float64Array,
  y: Float64Array,
  total: number,
  p: TreeParams,
  best: Split | null,
): Split | null {
  const n = end - start
  let sumL = 0
  for (let i = start; i < end - 1; i++) {
    sumL += y[order[i]]
    const nL = i - start + 1
    const nR = n - nL
    if (nL < p.minSamplesLeaf) continue
    if (nR < p.minSamplesLeaf) break
    const a = col[order[i]]
    const b = col[order[i + 1]]
    if (!(a < b)) continue
    const sumR = total - sumL
    const score = (sumL * sumL) / nL + (sumR * sumR) / nR
    if (best === null || score > best.score) {
      best = { feature: f, threshold: snapThreshold(a, b, p.categories[f] ?? null), score }
    }
  }
  return best
}

/** Grows one tree on the rows of `orders` (one sorted copy of the sample per feature). */
function growTree(
  cols: Float64Array[],
  y: Float64Array,
  orders: Int32Array[],
  p: TreeParams,
  rng: Rng,
): RegressionTree {
  const d = cols.length
  const m = orders[0].length
  const feature: number[] = []
  const threshold: number[] = []
  const left: number[] = []
  const right: number[] = []
  const value: number[] = []
  const goLeft = new Uint8Array(y.length)
  const tmp = new Int32Array(m)
  const features = Array.from({ length: d }, (_, i) => i)
  const newNode = (): number => {
    feature.push(-1)
    threshold.push(0)
    left.push(-1)
    right.push(-1)
    value.push(0)
    return feature.length - 1
  }
  const stack: { node: number; start: number; end: number; depth: number }[] = [
    { node: newNode(), start: 0, end: m, depth: 0 },
  ]
  while (stack.length) {
    const { node, start, end, depth } = stack.pop()!
    const order0 = orders[0]
    let total = 0
    let lo = Infinity
    let hi = -Infinity
    for (let i = start; i < end; i++) {
      const v = y[order0[i]]
      total += v
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
    const n = end - start
    value[node] = total / n
    if (depth >= p.maxDepth || n < p.minSamplesSplit || n < 2 * p.minSamplesLeaf || lo === hi)
      continue
    // Fisher–Yates over all features: try mtry of them, more only while none gives a valid split.
    let split: Split | null = null
    for (let k = 0; k < d; k++) {
      const j = k + rng.int(d - k)
      const f = features[j]
      features[j] = features[k]
      features[k] = f
      split = bestSplitOn(f, orders[f], start, end, cols[f], y, total, p, split)
      if (k + 1 >= p.mtry && split !== null) break
    }
    if (split === null) continue
    const sCol = cols[split.feature]
    const sOrder = orders[split.feature]
    let nLeft = 0
    for (let i = start; i < end; i++) {
      const row = sOrder[i]
      const l = sCol[row] <= split.threshold ? 1 : 0
      goLeft[row] = l
      nLeft += l
    }
    if (nLeft === 0 || nLeft === n) continue
    for (let f = 0; f < d; f++) {
      const o = orders[f]
      let a = 0
      let b = nLeft
      for (let i = start; i < end; i++) {
        const row = o[i]
        if (goLeft[row]) tmp[a++] = row
        else tmp[b++] = row
      }
      o.set(tmp.subarray(0, n), start)
    }
    feature[node] = split.feature
    threshold[node] = split.threshold
    const l = newNode()
    const r = newNode()
    left[node] = l
    right[node] = r
    stack.push({ node: r, start: start + nLeft, end, depth: depth + 1 })
    stack.push({ node: l, start, end: start + nLeft, depth: depth + 1 })
  }
  return {
    feature: Int32Array.from(feature),
    threshold: Float64Array.from(threshold),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    value: Float64Array.from(value),
  }
}

/** Fits a forest to rows `X` (n × d, features ideally in [0, 1]) and targets `y`. */
export function fitRandomForest(
  X: readonly (readonly number[])[],
  y: readonly number[],
  options: ForestOptions,
): RandomForest {
  const n = X.length
  if (n === 0 || y.length !== n)
    throw new Error(`need rows and one target each, got ${n} rows and ${y.length} targets`)
  const d = X[0].length
  const nTrees = options.nTrees ?? 64
  const maxFeatures = options.maxFeatures ?? 1
  if (!(maxFeatures > 0 && maxFeatures <= 1))
    throw new Error(`maxFeatures must be in (0, 1], got ${maxFeatures}`)
  const params: TreeParams = {
    maxDepth: options.maxDepth ?? 64,
    minSamplesLeaf: Math.max(1, options.minSamplesLeaf ?? 1),
    minSamplesSplit: Math.max(2, options.minSamplesSplit ?? 2),
    mtry: Math.max(1, Math.round(maxFeatures * d)),
    categories: options.categories ?? [],
  }
  const cols = Array.from({ length: d }, (_, f) => Float64Array.from(X, (row) => row[f]))
  const yy = Float64Array.from(y)
  // Sorted once; each tree's sorted sample is read off these by multiplicity.
  const sorted = cols.map((col) =>
    Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => col[a] - col[b] || a - b),
  )
  const rng = createRng(options.seed)
  const trees: RegressionTree[] = []
  const counts = new Int32Array(n)
  let truncated = false
  for (let t = 0; t < nTrees; t++) {
    if (t > 0 && options.deadline !== undefined && performance.now() > options.deadline) {
      truncated = true
      break
    }
    counts.fill(0)
    if (options.bootstrap === false) counts.fill(1)
    else for (let i = 0; i < n; i++) counts[rng.int(n)]++
    const orders = sorted.map((s) => {
      const o = new Int32Array(n)
      let k = 0
      for (const row of s) for (let c = counts[row]; c > 0; c--) o[k++] = row
      return o
    })
    trees.push(growTree(cols, yy, orders, params, rng))
  }
  return { nFeatures: d, trees, truncated }
}

export function predictTree(tree: RegressionTree, x: readonly number[]): number {
  let node = 0
  while (tree.feature[node] >= 0)
    node = x[tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node]
  return tree.value[node]
}

/** The mean of the trees' predictions. */
export function predictForest(forest: RandomForest, x: readonly number[]): number {
  let s = 0
  for (const tree of forest.trees) s += predictTree(tree, x)
  return s / forest.trees.length
}
