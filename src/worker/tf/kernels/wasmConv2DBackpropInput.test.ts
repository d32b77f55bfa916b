import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import * as k from '../../../../test/helpers/kernelTestUtil.ts'
import { stockKernel } from './registerFastKernels.ts'

function inputsFor(c: k.ConvCase, seed: number) {
  const rng = k.rngFor(seed)
  const dy = k.randomTensor(rng, [c.x[0], c.info.outHeight, c.info.outWidth, c.filter[3]])
  const w = k.randomTensor(rng, c.filter)
  return { dyv: dy.values, wv: w.values, dy: dy.tensor, filter: w.tensor }
}

describe('wasm Conv2DBackpropInput', () => {
  k.useFastKernels('wasm')

  it('matches dx by definition and the stock kernel, stride 1 with dilations and strides > 1', () => {
    const rng = k.rngFor(21)
    const stock = stockKernel('wasm', 'Conv2DBackpropInput')!
    for (let n = 0; n < 100; n++) {
      const c = k.randomConvCase(rng, {
        maxStride: n % 2 ? 3 : 1,
        maxDilation: 3,
        strideOrDilation: true,
      })
      const { dyv, wv, dy, filter } = inputsFor(c, n)
      const attrs = k.convGradAttrs(c, { inputShape: c.x })
      const got = k.runKernel('Conv2DBackpropInput', { dy, filter }, attrs)
      const label = JSON.stringify({ ...c, info: undefined })
      const want = k.naiveConv2DBackpropInput(dyv, wv, c.info)
      expect(k.relativeError(got, want), label).toBeLessThan(1e-4)
      // The stock wasm kernel ignores dilations, so it is a reference only without them.
      if (c.dilations[0] === 1 && c.dilations[1] === 1) {
        const stocks = k.runConfig(stock, { dy, filter }, attrs)
        expect(k.relativeError(got, stocks), label).toBeLessThan(1e-4)
      }
      tf.dispose([dy, filter])
    }
  })

  it('refuses dilations with strides > 1 rather than return a wrong answer', () => {
    const dy = tf.ones([1, 3, 3, 2])
    const filter = tf.ones([3, 3, 2, 2])
    expect(() =>
      k.runKernel(
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
    k.runKernel(
      'Conv2DBackpropInput',
      { dy, filter },
      { strides: 1, pad: 'same', inputShape: [2, 5, 5, 2] },
    )
    k.runKernel(
      'Conv2DBackpropInput',
      { dy, filter },
      { strides: 2, pad: 'same', inputShape: [2, 9, 10, 2] },
    )
    tf.dispose([dy, filter])
    expect([tf.memory().numTensors, tf.backend().numDataIds()]).toEqual(before)
  })
})
