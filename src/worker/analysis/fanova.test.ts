import { describe, expect, it } from 'vitest'
import { createRng } from '../../shared/rng.ts'
import { fanovaImportance, treeImportance } from './fanova.ts'
import { fitRandomForest, predictTree, type RegressionTree } from './randomForest.ts'

const tree = (nodes: [number, number, number, number, number][]): RegressionTree => ({
  feature: Int32Array.from(nodes.map((n) => n[0])),
  threshold: Float64Array.from(nodes.map((n) => n[1])),
  left: Int32Array.from(nodes.map((n) => n[2])),
  right: Int32Array.from(nodes.map((n) => n[3])),
  value: Float64Array.from(nodes.map((n) => n[4])),
})

/** Variance of the tree's marginal over each feature, by brute force on the grid of cell midpoints. */
function bruteForce(t: RegressionTree, d: number): number[] {
  const cuts = Array.from({ length: d }, (_, f) => {
    const c = [0, 1]
    t.feature.forEach((g, i) => {
      if (g === f) c.push(t.threshold[i])
    })
    return [...new Set(c)].sort((a, b) => a - b)
  })
  const cells = (f: number): { mid: number; w: number }[] =>
    cuts[f].slice(1).map((b, i) => ({ mid: (b + cuts[f][i]) / 2, w: b - cuts[f][i] }))
  const all: { x: number[]; w: number }[] = [{ x: [], w: 1 }]
  for (let f = 0; f < d; f++) {
    const next: { x: number[]; w: number }[] = []
    for (const p of all) for (const c of cells(f)) next.push({ x: [...p.x, c.mid], w: p.w * c.w })
    all.splice(0, all.length, ...next)
  }
  const mean = all.reduce((a, p) => a + p.w * predictTree(t, p.x), 0)
  const total = all.reduce((a, p) => a + p.w * (predictTree(t, p.x) - mean) ** 2, 0)
  return Array.from({ length: d }, (_, f) => {
    const marg = new Map<number, number>()
    for (const p of all) marg.set(p.x[f], (marg.get(p.x[f]) ?? 0) + p.w * predictTree(t, p.x))
    return (
      cells(f).reduce((a, c) => a + c.w * ((marg.get(c.mid) ?? 0) / c.w - mean) ** 2, 0) / total
    )
  })
}

describe('fANOVA on one tree', () => {
  it('matches a hand computation', () => {
    // x0 <= 0.5 → (x1 <= 0.5 → 0 | 2) | 4: total variance 2.75, marginals 2.25 (x0) and 0.25 (x1)
    const t = tree([
      [0, 0.5, 1, 2, 0],
      [1, 0.5, 3, 4, 0],
      [-1, 0, -1, -1, 4],
      [-1, 0, -1, -1, 0],
      [-1, 0, -1, -1, 2],
    ])
    const imp = treeImportance(t, 3)!
    expect(imp[0]).toBeCloseTo(2.25 / 2.75, 12)
    expect(imp[1]).toBeCloseTo(0.25 / 2.75, 12)
    expect(imp[2]).toBe(0)
  })

  it('is null for a constant tree', () => {
    expect(treeImportance(tree([[-1, 0, -1, -1, 7]]), 2)).toBeNull()
  })

  it('matches brute-force integration on fitted trees', () => {
    const rng = createRng(11)
    const X = Array.from({ length: 40 }, () => [rng.next(), rng.next(), rng.next()])
    const y = X.map((x) => x[0] * x[1] + Math.sin(5 * x[2]))
    const forest = fitRandomForest(X, y, { seed: 2, nTrees: 3 })
    for (const t of forest.trees) {
      const exact = treeImportance(t, 3)!
      const brute = bruteForce(t, 3)
      exact.forEach((v, f) => expect(v).toBeCloseTo(brute[f], 9))
    }
  })
})

describe('fanovaImportance', () => {
  it('recovers the variance shares of an additive function', () => {
    // f = x0 + 2·x1: Var shares 1/5 and 4/5, x2 ignored
    const rng = createRng(3)
    const X = Array.from({ length: 800 }, () => [rng.next(), rng.next(), rng.next()])
    const forest = fitRandomForest(
      X,
      X.map((x) => x[0] + 2 * x[1]),
      { seed: 0, nTrees: 16 },
    )
    const { individual, treesUsed } = fanovaImportance(forest)
    expect(treesUsed).toBe(16)
    expect(individual[0]).toBeCloseTo(0.2, 1)
    expect(individual[1]).toBeCloseTo(0.8, 1)
    expect(individual[2]).toBeLessThan(0.005)
  })
})
