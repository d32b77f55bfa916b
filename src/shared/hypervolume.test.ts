import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hypervolume, hypervolumeContributions } from './hypervolume.ts'

/** The exact volume of the union of boxes [p, ref], by coordinate compression (cells of the grid). */
function bruteForce(points: number[][], ref: number[]): number {
  const inside = points.filter((p) => p.every((v, k) => v < ref[k]))
  const d = ref.length
  const axes = Array.from({ length: d }, (_, k) =>
    [...new Set([...inside.map((p) => p[k]), ref[k]])].sort((a, b) => a - b),
  )
  let volume = 0
  const walk = (k: number, lower: number[], size: number): void => {
    if (k === d) {
      if (inside.some((p) => p.every((v, j) => v <= lower[j]))) volume += size
      return
    }
    for (let i = 0; i + 1 < axes[k].length; i++)
      walk(k + 1, [...lower, axes[k][i]], size * (axes[k][i + 1] - axes[k][i]))
  }
  walk(0, [], 1)
  return volume
}

const pointSet = (d: number) =>
  fc.array(fc.array(fc.integer({ min: 0, max: 12 }), { minLength: d, maxLength: d }), {
    maxLength: 14,
  })

describe('hypervolume', () => {
  it('is the area of a staircase in 2-D', () => {
    // (1,3), (2,2), (3,1) against (4,4): 3·1 + 2·1 + 1·1 … as rectangles: 3 + 2·… = 6
    expect(
      hypervolume(
        [
          [1, 3],
          [2, 2],
          [3, 1],
        ],
        [4, 4],
      ),
    ).toBe(6)
    expect(
      hypervolume(
        [
          [1, 3],
          [2, 2],
          [3, 1],
          [3, 3],
        ],
        [4, 4],
      ),
    ).toBe(6)
  })

  it('ignores points outside the reference box', () => {
    expect(hypervolume([[5, 0]], [4, 4])).toBe(0)
    expect(
      hypervolume(
        [
          [4, 0],
          [1, 1],
        ],
        [4, 4],
      ),
    ).toBe(9)
    expect(hypervolume([], [1, 1, 1])).toBe(0)
  })

  for (const d of [2, 3, 4])
    it(`equals the union of boxes in ${d}-D (property)`, () => {
      const ref = new Array<number>(d).fill(10)
      fc.assert(
        fc.property(pointSet(d), (points) => {
          expect(hypervolume(points, ref)).toBeCloseTo(bruteForce(points, ref), 9)
        }),
        { numRuns: 60 },
      )
    })

  it('contributions are what each point alone adds', () => {
    const pts = [
      [1, 3, 2],
      [2, 2, 2],
      [3, 1, 1],
      [3, 3, 3],
    ]
    const c = hypervolumeContributions(pts, [4, 4, 4])
    expect(c[3]).toBe(0)
    for (let i = 0; i < pts.length; i++)
      expect(c[i]).toBeCloseTo(
        bruteForce(pts, [4, 4, 4]) -
          bruteForce(
            pts.filter((_, j) => j !== i),
            [4, 4, 4],
          ),
        12,
      )
  })
})
