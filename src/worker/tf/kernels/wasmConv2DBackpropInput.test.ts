import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  naiveConv2DBackpropInput,
  randomConvCase,
  randomValues,
  relativeError,
  rngFor,
  runConfig,
  runKernel,
  useBackend,
  type ConvCase,
} from '../../../../test/helpers/kernelTestUtil.ts'
import { registerFastKernels, stockKernel } from './registerFastKernels.ts'

function inputsFor(c: ConvCase, seed: number) {
  const rng = rngFor(seed)
  const dyShape = [c.x[0], c.info.outHeight, c.info.outWidth, c.filter[3]]
  const dyv = randomValues(
    rng,
    dyShape.reduce((a, b) => a * b),
  )
  const wv = randomValues(
    rng,
    c.filter.reduce((a, b) => a * b),
  )
  return { dyv, wv, dy: tf.tensor(dyv, dyShape), filter: tf.tensor(wv, c.filter) }
}

describe('wasm Conv2DBackpropInput', () => {
  beforeAll(async () => {
    await useBackend('wasm')
    registerFastKernels('wasm')
  })

  it('matches dx by definition and the stock kernel, stride 1 with dilations and strides > 1', () => {
    const rng = rngFor(21)
    const stock = stockKernel('wasm', 'Conv2DBackpropInput')!
    for (let n = 0; n < 100; n++) {
      const c = randomConvCase(rng, {
        maxStride: n % 2 ? 3 : 1,
        maxDilation: 3,
        strideOrDilation: true,
      })
      const { dyv, wv, dy, filter } = inputsFor(c, n)
      const attrs = {
        strides: c.strides,
        dilations: c.dilations,
        pad: c.pad,
        dataFormat: 'NHWC',
        inputShape: c.x,
      }
      const got = runKernel('Conv2DBackpropInput', { dy, filter }, attrs)
      const label = JSON.stringify({ ...c, info: undefined })
      expect(relativeError(got, naiveConv2DBackpropInput(dyv, wv, c.info)), label).toBeLessThan(
        1e-4,
      )
      // The stock wasm kernel ignores dilations, so it is a reference only without them.
      if (c.dilations[0] === 1 && c.dilations[1] === 1) {
        const want = runConfig(stock, { dy, filter }, attrs)
        expect(relativeError(got, want), label).toBeLessThan(1e-4)
      }
      tf.dispose([dy, filter])
    }
  })

  it('refuses dilations with strides > 1 rather than return a wrong answer', () => {
    const dy = tf.ones([1, 3, 3, 2])
    const filter = tf.ones([3, 3, 2, 2])
    expect(() =>
      runKernel(
        'Conv2DBackpropInput',
        { dy, filter },
        { strides: 2, dilations: 2, pad: 'same', inputShape: [1, 6, 6, 2] },
      ),
    ).toThrow(/dilations > 1 are only supported with stride 1/)
    tf.dispose([dy, filter])
  })

  it('leaves no tensors and no wasm buffers behind, stride 1 and strided', () => {
    const before = [tf.memory().numTensors, tf.backend().numDataIds()]
    const dy = tf.ones([2, 5, 5, 3])
    const filter = tf.ones([3, 3, 2, 3])
    runKernel(
      'Conv2DBackpropInput',
      { dy, filter },
      { strides: 1, pad: 'same', inputShape: [2, 5, 5, 2] },
    )
    runKernel(
      'Conv2DBackpropInput',
      { dy, filter },
      { strides: 2, pad: 'same', inputShape: [2, 9, 10, 2] },
    )
    tf.dispose([dy, filter])
    expect([tf.memory().numTensors, tf.backend().numDataIds()]).toEqual(before)
  })
})
