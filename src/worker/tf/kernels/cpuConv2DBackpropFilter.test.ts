import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  naiveConv2DBackpropFilter,
  randomConvCase,
  randomValues,
  relativeError,
  rngFor,
  runConfig,
  runKernel,
  useBackend,
} from '../../../../test/helpers/kernelTestUtil.ts'
import { registerFastKernels, stockKernel } from './registerFastKernels.ts'

describe('cpu Conv2DBackpropFilter', () => {
  beforeAll(async () => {
    await useBackend('cpu')
    registerFastKernels('cpu')
  })

  it('matches dW by definition (with dilations) and the stock kernel (without) on random convolutions', () => {
    const rng = rngFor(51)
    const stock = stockKernel('cpu', 'Conv2DBackpropFilter')!
    for (let n = 0; n < 60; n++) {
      const c = randomConvCase(rng, { maxStride: 3, maxDilation: n % 2 ? 3 : 1 })
      const xv = randomValues(
        rng,
        c.x.reduce((a, b) => a * b),
      ).map((v) => (n % 3 ? v : Math.max(0, v)))
      const dyShape = [c.x[0], c.info.outHeight, c.info.outWidth, c.filter[3]]
      const dyv = randomValues(
        rng,
        dyShape.reduce((a, b) => a * b),
      )
      const x = tf.tensor4d(xv, c.x)
      const dy = tf.tensor(dyv, dyShape)
      const attrs = {
        strides: c.strides,
        dilations: c.dilations,
        pad: c.pad,
        dataFormat: 'NHWC',
        filterShape: c.filter,
      }
      const got = runKernel('Conv2DBackpropFilter', { x, dy }, attrs)
      const label = JSON.stringify({ ...c, info: undefined })
      expect(relativeError(got, naiveConv2DBackpropFilter(xv, dyv, c.info)), label).toBeLessThan(
        1e-5,
      )
      // The stock kernel ignores dilations (tfjs never asks for them in a gradient).
      if (c.dilations[0] === 1 && c.dilations[1] === 1) {
        expect(relativeError(got, runConfig(stock, { x, dy }, attrs)), label).toBeLessThan(1e-5)
      }
      tf.dispose([x, dy])
    }
  })

  it('refuses NCHW instead of computing a wrong gradient', () => {
    const x = tf.ones([1, 2, 4, 4])
    const dy = tf.ones([1, 3, 4, 4])
    expect(() =>
      runKernel(
        'Conv2DBackpropFilter',
        { x, dy },
        { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 2, 3] },
      ),
    ).toThrow(/NCHW is not supported/)
    tf.dispose([x, dy])
  })
})
