import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { PAPER_CNN_DEFAULTS, type PaperCnnParams } from '../../../shared/cnnParams.ts'
import { buildPaperCnn, buildSoftmaxRegression, planPaperCnn } from './cnnModel.ts'

const lenet = (over: Partial<PaperCnnParams> = {}): PaperCnnParams => ({
  ...PAPER_CNN_DEFAULTS,
  ...over,
})

describe('planPaperCnn', () => {
  it("plans LeNet-5 with 'same' padding on 28×28 images", () => {
    const plan = planPaperCnn(lenet(), [28, 28, 1], 10)
    expect(plan.map((l) => [l.name, l.output.join('×'), l.weights])).toEqual([
      ['conv1', '28×28×6', 5 * 5 * 1 * 6 + 6],
      ['pool1', '14×14×6', 0],
      ['conv2', '14×14×16', 5 * 5 * 6 * 16 + 16],
      ['pool2', '7×7×16', 0],
      ['flatten', '784', 0],
      ['fc1', '120', 784 * 120 + 120],
      ['fc2', '84', 120 * 84 + 84],
      ['output', '10', 84 * 10 + 10],
    ])
  })

  it("never shrinks an image to nothing anywhere in the paper's strides and kernels", () => {
    for (const s1 of [1, 3, 5])
      for (const p1 of [1, 3, 5])
        for (const s2 of [1, 3, 5])
          for (const p2 of [1, 5])
            for (const k of [2, 5]) {
              const plan = planPaperCnn(
                lenet({
                  conv1_stride: s1,
                  pool1_stride: p1,
                  conv2_stride: s2,
                  pool2_stride: p2,
                  conv1_kernel: k,
                  conv2_kernel: k,
                  pool1_kernel: k,
                  pool2_kernel: k,
                }),
                [28, 28, 1],
                10,
              )
              expect(plan.every((l) => l.output.every((d) => d >= 1))).toBe(true)
            }
  })

  it('names the layer and the shapes when a configuration cannot be built', () => {
    expect(() => planPaperCnn(lenet({ conv2_channels: 0 }), [28, 28, 1], 10)).toThrow(
      'conv2: cannot build with channels 0 on input 14×14×6: channels must be an integer ≥ 1',
    )
    expect(() => planPaperCnn(lenet({ pool1_type: 'median' as 'max' }), [28, 28, 1], 10)).toThrow(
      'pool1: cannot build a "median" pooling layer on input 28×28×6: type must be max or average',
    )
    expect(() =>
      planPaperCnn(
        lenet({ conv2_channels: 128, pool2_stride: 1, fc1_units: 30000 }),
        [28, 28, 1],
        10,
      ),
    ).toThrow(
      'fc1: 752.7M weights (input 25088 → output 30000) is more than the 134.2M a layer may have',
    )
    expect(() =>
      planPaperCnn(lenet({ batch_size: 8192, conv1_channels: 2048 }), [28, 28, 1], 10),
    ).toThrow(/^conv1: output 28×28×2048 × batch 8192 = .* values is more than/)
  })
})

describe('building the networks', () => {
  beforeAll(async () => {
    tf.env().set('PROD', true)
    await tf.setBackend('cpu')
  })

  it('builds the planned network, seeded, and disposes it completely', () => {
    const before = tf.memory().numTensors
    const a = buildPaperCnn(lenet(), [28, 28, 1], 10, 7)
    const b = buildPaperCnn(lenet(), [28, 28, 1], 10, 7)
    const weights = planPaperCnn(lenet(), [28, 28, 1], 10).reduce((s, l) => s + l.weights, 0)
    expect(a.countParams()).toBe(weights)
    expect(a.outputs[0].shape).toEqual([null, 10])
    expect(Array.from(a.getWeights()[0].dataSync())).toEqual(
      Array.from(b.getWeights()[0].dataSync()),
    )
    const soft = buildSoftmaxRegression([8, 8, 1], 4, 1)
    expect(soft.countParams()).toBe(64 * 4 + 4)
    for (const m of [a, b, soft]) m.dispose()
    expect(tf.memory().numTensors).toBe(before)
  })
})
