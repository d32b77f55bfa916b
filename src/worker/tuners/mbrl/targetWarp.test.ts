import { describe, expect, it } from 'vitest'
import { warpTargets } from './targetWarp.ts'

// Reference: SciPy 1.17 (stats.boxcox / stats.yeojohnson, maximum-likelihood λ), then standardized.
const POSITIVE = [3e-5, 4e-5, 1e-4, 2e-3, 0.1, 5e-5, 0.02, 7e-4]
const BOX_COX = [
  -1.205986502, -1.035515396, -0.5426396845, 0.641275611, 1.530438251, -0.9086568847, 1.231108144,
  0.2899764609,
]
const NEGATIVE = [-0.88, -0.87, -0.5, -0.86, -0.7, -0.88, -0.1, -0.8]
const YEO_JOHNSON = [
  -0.8797636741, -0.7948460203, 1.247526807, -0.711769049, 0.3863671935, -0.8797636741, 1.882875396,
  -0.2506269787,
]

describe('warpTargets', () => {
  it('power: Box-Cox for positive losses, as SciPy fits it', () => {
    const { y } = warpTargets(POSITIVE, 'power')
    y.forEach((v, i) => expect(v).toBeCloseTo(BOX_COX[i], 6))
  })

  it('power: Yeo-Johnson on the losses in units of their spread otherwise, as SciPy fits it', () => {
    const { y } = warpTargets(NEGATIVE, 'power')
    y.forEach((v, i) => expect(v).toBeCloseTo(YEO_JOHNSON[i], 6))
  })

  it('every warp keeps the losses in order, so the best loss stays the lowest target', () => {
    for (const warp of ['none', 'rank', 'power'] as const) {
      const { y } = warpTargets(POSITIVE, warp)
      const byLoss = POSITIVE.map((_, i) => i).sort((a, b) => POSITIVE[a] - POSITIVE[b])
      for (let k = 1; k < byLoss.length; k++) expect(y[byLoss[k]]).toBeGreaterThan(y[byLoss[k - 1]])
    }
  })

  it('power separates near-optimal losses that one outlier flattens when only standardized', () => {
    const gap = (y: number[]) => y[1] - y[0]
    const none = warpTargets(POSITIVE, 'none').y
    const power = warpTargets(POSITIVE, 'power').y
    expect(gap(power)).toBeGreaterThan(100 * gap(none))
  })

  it('none: standardized, with the scale and offset that map back to losses', () => {
    const w = warpTargets([1, 2, 3], 'none')
    expect(w.offset).toBe(2)
    expect(w.y.map((v) => w.offset + v * w.scale)).toEqual(
      [1, 2, 3].map((v) => expect.closeTo(v, 12)),
    )
  })

  it('equal losses stay finite under every warp', () => {
    for (const warp of ['none', 'rank', 'power'] as const)
      expect(warpTargets([0.5, 0.5, 0.5], warp).y.every(Number.isFinite)).toBe(true)
  })
})
