import { describe, expect, it } from 'vitest'
import { createRng } from '../../shared/rng.ts'
import { fitRandomForest, predictForest, predictTree } from './randomForest.ts'

function data(n: number, seed: number, f: (x: number[]) => number): { X: number[][]; y: number[] } {
  const rng = createRng(seed)
  const X = Array.from({ length: n }, () => [rng.next(), rng.next(), rng.next()])
  return { X, y: X.map(f) }
}

describe('fitRandomForest', () => {
  it('fits a step function exactly without bootstrap', () => {
    const { X, y } = data(200, 1, (x) => (x[0] > 0.5 ? 3 : -1))
    const forest = fitRandomForest(X, y, { seed: 0, nTrees: 4, bootstrap: false })
    for (const x of [
      [0.1, 0.5, 0.5],
      [0.9, 0.2, 0.7],
    ])
      expect(predictForest(forest, x)).toBe(x[0] > 0.5 ? 3 : -1)
    // one split on x0 is all it needs
    expect(forest.trees[0].feature.length).toBe(3)
    expect(forest.trees[0].feature[0]).toBe(0)
  })

  it('predicts a smooth function out of sample', () => {
    const f = (x: number[]): number => Math.sin(4 * x[0]) + x[1] ** 2
    const { X, y } = data(600, 2, f)
    const forest = fitRandomForest(X, y, { seed: 3, nTrees: 32 })
    const test = data(200, 99, f)
    const mse = test.X.reduce((a, x, i) => a + (predictForest(forest, x) - test.y[i]) ** 2, 0) / 200
    const variance =
      test.y.reduce((a, v) => a + (v - test.y.reduce((s, w) => s + w, 0) / 200) ** 2, 0) / 200
    expect(mse / variance).toBeLessThan(0.05)
  })

  it('is reproducible for a seed and differs between seeds', () => {
    const { X, y } = data(150, 3, (x) => x[0] + x[1] * x[2])
    const a = fitRandomForest(X, y, { seed: 5, nTrees: 8, maxFeatures: 0.5 })
    const b = fitRandomForest(X, y, { seed: 5, nTrees: 8, maxFeatures: 0.5 })
    const c = fitRandomForest(X, y, { seed: 6, nTrees: 8, maxFeatures: 0.5 })
    expect(a.trees.map((t) => Array.from(t.threshold))).toEqual(
      b.trees.map((t) => Array.from(t.threshold)),
    )
    expect(a.trees.map((t) => Array.from(t.threshold))).not.toEqual(
      c.trees.map((t) => Array.from(t.threshold)),
    )
  })

  it('gives the mirror-image forest for −y (same splits, negated leaves)', () => {
    const { X, y } = data(300, 4, (x) => Math.exp(3 * x[0]) - 5 * x[2])
    const a = fitRandomForest(X, y, { seed: 1, nTrees: 6, maxFeatures: 0.7 })
    const b = fitRandomForest(
      X,
      y.map((v) => -v),
      { seed: 1, nTrees: 6, maxFeatures: 0.7 },
    )
    a.trees.forEach((t, i) => {
      expect(Array.from(b.trees[i].feature)).toEqual(Array.from(t.feature))
      expect(Array.from(b.trees[i].threshold)).toEqual(Array.from(t.threshold))
      expect(Array.from(b.trees[i].value)).toEqual(Array.from(t.value).map((v) => -v))
    })
  })

  it('respects minSamplesLeaf and snaps categorical thresholds to choice boundaries', () => {
    const rng = createRng(7)
    // feature 0: a categorical of 4 choices encoded (i + 0.5) / 4; choice 1 never occurs
    const X = Array.from({ length: 120 }, () => [([0, 2, 3][rng.int(3)] + 0.5) / 4, rng.next()])
    const y = X.map((x) => (x[0] > 0.5 ? 1 : 0) + x[1])
    const forest = fitRandomForest(X, y, {
      seed: 0,
      nTrees: 3,
      minSamplesLeaf: 10,
      categories: [4, null],
    })
    for (const tree of forest.trees) {
      const counts = new Map<number, number>()
      for (const x of X) {
        let node = 0
        while (tree.feature[node] >= 0)
          node = x[tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node]
        counts.set(node, (counts.get(node) ?? 0) + 1)
      }
      tree.feature.forEach((f, node) => {
        if (f === 0) expect([0.25, 0.5, 0.75]).toContain(tree.threshold[node])
      })
      // leaves hold at least 10 bootstrap rows; distinct rows per leaf can be fewer but never 0
      expect([...counts.values()].every((c) => c > 0)).toBe(true)
      expect(predictTree(tree, [0.125, 0.5])).toBeLessThan(predictTree(tree, [0.875, 0.5]))
    }
  })

  it('stops growing trees at the deadline but always grows one', () => {
    const { X, y } = data(100, 5, (x) => x[0])
    const forest = fitRandomForest(X, y, { seed: 0, nTrees: 50, deadline: performance.now() - 1 })
    expect(forest.trees.length).toBe(1)
    expect(forest.truncated).toBe(true)
  })
})
