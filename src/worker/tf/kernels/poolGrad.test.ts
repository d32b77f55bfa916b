import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import type { Shape4 } from './kernelUtil.ts'
import * as kt from '../../../../test/helpers/kernelTestUtil.ts'
import { registerFastKernels, stockKernel } from './registerFastKernels.ts'

function randomPool(rng: ReturnType<typeof kt.rngFor>, ties: boolean) {
  for (;;) {
    const shape: Shape4 = [
      kt.between(rng, 1, 3),
      kt.between(rng, 1, 12),
      kt.between(rng, 1, 12),
      kt.between(rng, 1, 6),
    ]
    const k: [number, number] = [kt.between(rng, 1, 4), kt.between(rng, 1, 4)]
    const s: [number, number] = [kt.between(rng, 1, 4), kt.between(rng, 1, 4)]
    const pad: kt.Pad = rng.next() < 0.5 ? 'same' : 'valid'
    if (pad === 'valid' && (k[0] > shape[1] || k[1] > shape[2])) continue
    const info = tf.backend_util.computePool2DInfo(shape, k, s, 1, pad)
    // Rounded values make ties (ReLU outputs are full of zeros): the first maximum must win.
    const xv = kt
      .randomValues(
        rng,
        shape.reduce((a, b) => a * b),
      )
      .map((v) => (ties ? Math.max(0, Math.round(v)) : v))
    const dyv = kt.randomValues(
      rng,
      info.outShape.reduce((a, b) => a * b),
    )
    return { shape, k, s, pad, info, xv, dyv, attrs: { filterSize: k, strides: s, pad } }
  }
}

describe.each(['wasm', 'cpu'] as const)('%s MaxPoolGrad', (backend) => {
  kt.useFastKernels(backend)

  it('matches the gradient by definition on random pools, strides, padding and ties', async () => {
    await kt.useBackend(backend)
    const rng = kt.rngFor(41)
    for (let n = 0; n < 80; n++) {
      const c = randomPool(rng, n % 2 === 1)
      const x = tf.tensor4d(c.xv, c.shape)
      const dy = tf.tensor4d(c.dyv, c.info.outShape)
      const got = kt.runKernel('MaxPoolGrad', { dy, input: x, output: x }, c.attrs)
      const label = JSON.stringify({ shape: c.shape, k: c.k, s: c.s, pad: c.pad })
      expect(kt.relativeError(got, kt.naiveMaxPoolGrad(c.xv, c.dyv, c.info)), label).toBeLessThan(
        1e-6,
      )
      if (backend === 'cpu') {
        const output = tf.maxPool(x, c.k, c.s, c.pad)
        const stock = kt.runConfig(
          stockKernel('cpu', 'MaxPoolGrad')!,
          { dy, input: x, output },
          c.attrs,
        )
        expect(kt.relativeError(got, stock), label).toBeLessThan(1e-6)
        output.dispose()
      }
      tf.dispose([x, dy])
    }
  })

  it('leaks no tensors through tf.grad of maxPool', async () => {
    await kt.useBackend(backend)
    const before = tf.memory().numTensors
    const x = tf.ones([1, 4, 4, 1]) as tf.Tensor4D
    const g = tf.grad((t) => tf.maxPool(t as tf.Tensor4D, 2, 2, 'same').sum())(x)
    expect(Array.from(g.dataSync()).reduce((a, b) => a + b)).toBe(4)
    tf.dispose([x, g])
    expect(tf.memory().numTensors).toBe(before)
  })
})

describe.each(['wasm', 'cpu'] as const)('%s AvgPoolGrad', (backend) => {
  it('matches the gradient as tfjs defines it and the stock kernel on random pools and padding', async () => {
    await kt.useBackend(backend)
    registerFastKernels(backend)
    const rng = kt.rngFor(43)
    const stock = stockKernel(backend, 'AvgPoolGrad')!
    for (let n = 0; n < 60; n++) {
      const c = randomPool(rng, false)
      const x = tf.tensor4d(c.xv, c.shape)
      const dy = tf.tensor4d(c.dyv, c.info.outShape)
      const got = kt.runKernel('AvgPoolGrad', { dy, input: x }, c.attrs)
      const label = JSON.stringify({ shape: c.shape, k: c.k, s: c.s, pad: c.pad })
      expect(kt.relativeError(got, kt.naiveAvgPoolGrad(c.dyv, c.info)), label).toBeLessThan(1e-6)
      expect(
        kt.relativeError(got, kt.runConfig(stock, { dy, input: x }, c.attrs)),
        label,
      ).toBeLessThan(1e-6)
      tf.dispose([x, dy])
    }
  })
})

describe("wasm's own MaxPoolGrad (why it is replaced)", () => {
  it('passes no gradient to windows whose maximum is negative (tfjs-backend-wasm 4.22)', async () => {
    await kt.useBackend('wasm')
    registerFastKernels('wasm')
    const xv = Float32Array.from([3, -1, 4, -1, 5, -9, 2, 6, -5, 3, 5, 8, 9, -7, 9, 3])
    const x = tf.tensor4d(xv, [1, 4, 4, 1])
    const dy = tf.tensor4d(xv, [1, 4, 4, 1])
    const attrs = { filterSize: 1, strides: 1, pad: 'same' }
    // A 1×1 pool passes the gradient straight through; ours does, the stock kernel does not.
    expect(Array.from(kt.runKernel('MaxPoolGrad', { dy, input: x, output: x }, attrs))).toEqual(
      Array.from(xv),
    )
    const stock = kt.runConfig(
      stockKernel('wasm', 'MaxPoolGrad')!,
      { dy, input: x, output: x },
      attrs,
    )
    expect(Array.from(stock)).toEqual(Array.from(xv).map((v) => (v < 0 ? 0 : v)))
    tf.dispose([x, dy])
  })
})
