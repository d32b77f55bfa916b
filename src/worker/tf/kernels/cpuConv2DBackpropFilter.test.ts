import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import * as k from '../../../../test/helpers/kernelTestUtil.ts'
import { stockKernel } from './registerFastKernels.ts'

describe('cpu Conv2DBackpropFilter', () => {
  k.useFastKernels('cpu')

  it('matches dW by definition (with dilations) and the stock kernel (without) on random convolutions', () => {
    const rng = k.rngFor(51)
    const stock = stockKernel('cpu', 'Conv2DBackpropFilter')!
    for (let n = 0; n < 60; n++) {
      const c = k.randomConvCase(rng, { maxStride: 3, maxDilation: n % 2 ? 3 : 1 })
      // Every third case has ReLU-like inputs (zeros).
      const xv = k
        .randomValues(
          rng,
          c.x.reduce((a, b) => a * b),
        )
        .map((v) => (n % 3 ? v : Math.max(0, v)))
      const dy = k.randomTensor(rng, [c.x[0], c.info.outHeight, c.info.outWidth, c.filter[3]])
      const x = tf.tensor4d(xv, c.x)
      const inputs = { x, dy: dy.tensor }
      const attrs = k.convGradAttrs(c, { filterShape: c.filter })
      const got = k.runKernel('Conv2DBackpropFilter', inputs, attrs)
      const label = JSON.stringify({ ...c, info: undefined })
      const want = k.naiveConv2DBackpropFilter(xv, dy.values, c.info)
      expect(k.relativeError(got, want), label).toBeLessThan(1e-5)
      // The stock kernel ignores dilations (tfjs never asks for them in a gradient).
      if (c.dilations[0] === 1 && c.dilations[1] === 1) {
        expect(k.relativeError(got, k.runConfig(stock, inputs, attrs)), label).toBeLessThan(1e-5)
      }
      tf.dispose(Object.values(inputs))
    }
  })

  it('refuses NCHW instead of computing a wrong gradient', () => {
    const x = tf.ones([1, 2, 4, 4])
    const dy = tf.ones([1, 3, 4, 4])
    expect(() =>
      k.runKernel(
        'Conv2DBackpropFilter',
        { x, dy },
        { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 2, 3] },
      ),
    ).toThrow(/NCHW is not supported/)
    tf.dispose([x, dy])
  })
})
