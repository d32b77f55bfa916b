import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import {
  between,
  randomValues,
  relativeError,
  rngFor,
  runConfig,
  runKernel,
  useBackend,
  useFastKernels,
} from '../../../../test/helpers/kernelTestUtil.ts'
import { stockKernel } from './registerFastKernels.ts'

/** a·b by definition with optional transposes and a broadcast batch of 1. */
function naiveMatMul(
  a: Float32Array,
  b: Float32Array,
  s: { batchA: number; batchB: number; m: number; k: number; n: number; ta: boolean; tb: boolean },
): Float64Array {
  const batch = Math.max(s.batchA, s.batchB)
  const out = new Float64Array(batch * s.m * s.n)
  for (let p = 0; p < batch; p++) {
    const ao = (s.batchA === 1 ? 0 : p) * s.m * s.k
    const bo = (s.batchB === 1 ? 0 : p) * s.k * s.n
    for (let i = 0; i < s.m; i++)
      for (let j = 0; j < s.n; j++) {
        let sum = 0
        for (let q = 0; q < s.k; q++) {
          const av = a[ao + (s.ta ? q * s.m + i : i * s.k + q)]
          const bv = b[bo + (s.tb ? j * s.k + q : q * s.n + j)]
          sum += av * bv
        }
        out[(p * s.m + i) * s.n + j] = sum
      }
  }
  return out
}

describe('wasm BatchMatMul', () => {
  useFastKernels('wasm')

  it('matches a·b by definition and the stock kernel with every transpose combination', () => {
    const rng = rngFor(31)
    const stock = stockKernel('wasm', 'BatchMatMul')!
    for (let n = 0; n < 60; n++) {
      // Lopsided shapes (a dense layer's 64 × 3136 × 512) make either arrangement the cheaper one.
      const dims =
        n < 40
          ? [17, 17, 17]
          : [
              [4, 90, 70],
              [90, 4, 70],
              [70, 90, 4],
              [4, 70, 90],
            ][n % 4]
      const s = {
        batchA: n >= 40 || rng.next() < 0.3 ? 1 : between(rng, 1, 3),
        batchB: 1,
        m: between(rng, 1, dims[0]),
        k: between(rng, 1, dims[1]),
        n: between(rng, 1, dims[2]),
        ta: n % 2 === 1,
        tb: n % 4 >= 2,
      }
      s.batchB = n >= 40 || rng.next() < 0.5 ? 1 : s.batchA
      const av = randomValues(rng, s.batchA * s.m * s.k)
      const bv = randomValues(rng, s.batchB * s.k * s.n)
      const a = tf.tensor3d(av, s.ta ? [s.batchA, s.k, s.m] : [s.batchA, s.m, s.k])
      const b = tf.tensor3d(bv, s.tb ? [s.batchB, s.n, s.k] : [s.batchB, s.k, s.n])
      const attrs = { transposeA: s.ta, transposeB: s.tb }
      const got = runKernel('BatchMatMul', { a, b }, attrs)
      expect(relativeError(got, naiveMatMul(av, bv, s)), JSON.stringify(s)).toBeLessThan(1e-4)
      expect(relativeError(got, runConfig(stock, { a, b }, attrs)), JSON.stringify(s)).toBeLessThan(
        1e-4,
      )
      tf.dispose([a, b])
    }
  })

  it('gives dense-layer gradients equal to the cpu backend', async () => {
    const rng = rngFor(5)
    const xv = randomValues(rng, 8 * 12)
    const wv = randomValues(rng, 12 * 7)
    const grads = () =>
      tf.tidy(() => {
        const x = tf.tensor2d(xv, [8, 12])
        const w = tf.tensor2d(wv, [12, 7])
        const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.matMul(a, b).square().sum())([x, w])
        return g.map((t) => Float32Array.from(t.dataSync()))
      })
    const onWasm = grads()
    await useBackend('cpu')
    const onCpu = grads()
    await useBackend('wasm')
    for (let i = 0; i < 2; i++) expect(relativeError(onWasm[i], onCpu[i])).toBeLessThan(1e-4)
  })

  it('leaves no tensors and no wasm buffers behind', () => {
    const before = [tf.memory().numTensors, tf.backend().numDataIds()]
    const a = tf.ones([2, 4, 3])
    const b = tf.ones([2, 5, 4])
    runKernel('BatchMatMul', { a, b }, { transposeA: true, transposeB: true })
    tf.dispose([a, b])
    expect([tf.memory().numTensors, tf.backend().numDataIds()]).toEqual(before)
  })
})
