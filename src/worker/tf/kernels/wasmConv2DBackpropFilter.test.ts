import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import {
  convGradAttrs,
  naiveConv2DBackpropFilter,
  randomConvCase,
  randomTensor,
  randomValues,
  relativeError,
  rngFor,
  runKernel,
  useBackend,
  useFastKernels,
} from '../../../../test/helpers/kernelTestUtil.ts'
import { stockKernel } from './registerFastKernels.ts'

describe('wasm Conv2DBackpropFilter', () => {
  useFastKernels('wasm')

  it('is missing from wasm as shipped and registered by us', () => {
    expect(stockKernel('wasm', 'Conv2DBackpropFilter')).toBeNull()
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined()
  })

  it('matches dW computed by definition on random shapes, strides, dilations and padding', () => {
    const rng = rngFor(11)
    let worst = 0
    for (let n = 0; n < 60; n++) {
      const c = randomConvCase(rng, { maxStride: 3, maxDilation: 3 })
      const x = randomTensor(rng, c.x)
      const dy = randomTensor(rng, [c.x[0], c.info.outHeight, c.info.outWidth, c.filter[3]])
      const got = runKernel(
        'Conv2DBackpropFilter',
        { x: x.tensor, dy: dy.tensor },
        convGradAttrs(c, { filterShape: c.filter }),
      )
      tf.dispose([x.tensor, dy.tensor])
      const err = relativeError(got, naiveConv2DBackpropFilter(x.values, dy.values, c.info))
      expect(err, JSON.stringify({ ...c, info: undefined })).toBeLessThan(1e-4)
      worst = Math.max(worst, err)
    }
    expect(worst).toBeLessThan(1e-4)
  })

  it('trains a convolution through tf.grad like the cpu backend does', async () => {
    const rng = rngFor(3)
    const xv = randomValues(rng, 2 * 9 * 9 * 3)
    const wv = randomValues(rng, 3 * 3 * 3 * 4)
    const grad = () =>
      tf.tidy(() => {
        const x = tf.tensor4d(xv, [2, 9, 9, 3])
        const w = tf.tensor4d(wv, [3, 3, 3, 4])
        const g = tf.grad((f) =>
          tf
            .conv2d(x, f as tf.Tensor4D, 2, 'same')
            .square()
            .sum(),
        )(w)
        return Float32Array.from(g.dataSync())
      })
    const onWasm = grad()
    await useBackend('cpu')
    const onCpu = grad()
    await useBackend('wasm')
    expect(relativeError(onWasm, onCpu)).toBeLessThan(1e-4)
  })

  it('leaves no tensors and no wasm buffers behind, cropped or not', () => {
    const before = [tf.memory().numTensors, tf.backend().numDataIds()]
    const x = tf.ones([2, 6, 6, 2]) as tf.Tensor4D
    const dy = tf.ones([2, 3, 3, 3]) as tf.Tensor4D
    runKernel(
      'Conv2DBackpropFilter',
      { x, dy },
      { strides: 2, pad: 'same', filterShape: [3, 3, 2, 3] },
    )
    const x2 = tf.ones([1, 7, 7, 1]) as tf.Tensor4D
    const dy2 = tf.ones([1, 2, 2, 1]) as tf.Tensor4D
    runKernel(
      'Conv2DBackpropFilter',
      { x: x2, dy: dy2 },
      { strides: 3, pad: 'valid', filterShape: [2, 2, 1, 1] },
    )
    tf.dispose([x, dy, x2, dy2])
    expect([tf.memory().numTensors, tf.backend().numDataIds()]).toEqual(before)
  })
})
