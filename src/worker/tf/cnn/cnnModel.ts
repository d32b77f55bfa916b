// Runs in trial workers: the cnn objective's networks. Shapes are planned before anything is built, so a
// configuration that cannot be built fails with the layer and the shapes instead of a tfjs stack trace.
import * as tf from '@tensorflow/tfjs'
import type { PaperCnnParams } from '../../../shared/cnnParams.ts'

/** Height, width, channels of one image (the batch dimension left out). */
export type ImageShape = [number, number, number]

export interface LayerPlan {
  name: string
  input: number[]
  output: number[]
  weights: number
}

/** Layer weights above this are refused: with Adam's two moments and the gradient they take 16 bytes each. */
export const MAX_LAYER_WEIGHTS = 2 ** 27
/** Activations of one layer for one batch above this are refused (the backward pass keeps several such). */
export const MAX_LAYER_ACTIVATIONS = 2 ** 28

export class CnnBuildError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CnnBuildError'
  }
}

const dims = (s: readonly number[]) => s.join('×')
const millions = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : String(n))

function positiveInt(layer: string, what: string, v: number, input: readonly number[]): void {
  if (!Number.isInteger(v) || v < 1) {
    throw new CnnBuildError(
      `${layer}: cannot build with ${what} ${v} on input ${dims(input)}: ${what} must be an integer ≥ 1`,
    )
  }
}

function checkSize(plan: LayerPlan, batchSize: number): LayerPlan {
  if (plan.weights > MAX_LAYER_WEIGHTS) {
    throw new CnnBuildError(
      `${plan.name}: ${millions(plan.weights)} weights (input ${dims(plan.input)} → output ${dims(plan.output)}) is more than the ${millions(MAX_LAYER_WEIGHTS)} a layer may have`,
    )
  }
  const activations = batchSize * plan.output.reduce((a, b) => a * b, 1)
  if (activations > MAX_LAYER_ACTIVATIONS) {
    throw new CnnBuildError(
      `${plan.name}: output ${dims(plan.output)} × batch ${batchSize} = ${millions(activations)} values is more than the ${millions(MAX_LAYER_ACTIVATIONS)} a layer may produce`,
    )
  }
  return plan
}

/** 'same' padding: every layer keeps ⌈size ÷ stride⌉ rows and columns, so no layer shrinks an image to nothing. */
const same = (size: number, stride: number) => Math.ceil(size / stride)

/** The paper CNN's layers with their shapes; throws a CnnBuildError naming the layer it cannot build. */
export function planPaperCnn(
  p: PaperCnnParams,
  input: ImageShape,
  numClasses: number,
): LayerPlan[] {
  const plans: LayerPlan[] = []
  let shape: number[] = [...input]
  for (const i of [1, 2] as const) {
    const conv = `conv${i}`
    const pool = `pool${i}`
    const k = p[`conv${i}_kernel`]
    const s = p[`conv${i}_stride`]
    const c = p[`conv${i}_channels`]
    positiveInt(conv, 'kernel', k, shape)
    positiveInt(conv, 'stride', s, shape)
    positiveInt(conv, 'channels', c, shape)
    const convOut = [same(shape[0], s), same(shape[1], s), c]
    plans.push(
      checkSize(
        { name: conv, input: shape, output: convOut, weights: k * k * shape[2] * c + c },
        p.batch_size,
      ),
    )
    shape = convOut
    const pk = p[`pool${i}_kernel`]
    const ps = p[`pool${i}_stride`]
    const type = p[`pool${i}_type`]
    positiveInt(pool, 'kernel', pk, shape)
    positiveInt(pool, 'stride', ps, shape)
    if (type !== 'max' && type !== 'average') {
      throw new CnnBuildError(
        `${pool}: cannot build a "${type}" pooling layer on input ${dims(shape)}: type must be max or average`,
      )
    }
    const poolOut = [same(shape[0], ps), same(shape[1], ps), shape[2]]
    plans.push(checkSize({ name: pool, input: shape, output: poolOut, weights: 0 }, p.batch_size))
    shape = poolOut
  }
  let features = shape[0] * shape[1] * shape[2]
  plans.push({ name: 'flatten', input: shape, output: [features], weights: 0 })
  for (const [name, units] of [
    ['fc1', p.fc1_units],
    ['fc2', p.fc2_units],
    ['output', numClasses],
  ] as const) {
    positiveInt(name, 'units', units, [features])
    plans.push(
      checkSize(
        { name, input: [features], output: [units], weights: features * units + units },
        p.batch_size,
      ),
    )
    features = units
  }
  return plans
}

function seededGlorot(seed: number) {
  return tf.initializers.glorotUniform({ seed })
}

/** The paper CNN as a tfjs model that outputs logits (the softmax is part of the loss). */
export function buildPaperCnn(
  p: PaperCnnParams,
  input: ImageShape,
  numClasses: number,
  seed: number,
): tf.Sequential {
  const plans = planPaperCnn(p, input, numClasses)
  const model = tf.sequential()
  let layerSeed = seed
  const add = (plan: LayerPlan, make: () => tf.layers.Layer) => {
    try {
      model.add(make())
    } catch (e) {
      model.dispose()
      throw new CnnBuildError(
        `${plan.name}: cannot build on input ${dims(plan.input)} → ${dims(plan.output)}: ${(e as Error).message}`,
      )
    }
  }
  for (const plan of plans) {
    const i = plan.name.slice(-1)
    if (plan.name.startsWith('conv')) {
      const k = p[`conv${i}_kernel` as 'conv1_kernel']
      add(plan, () =>
        tf.layers.conv2d({
          name: plan.name,
          ...(plan.name === 'conv1' ? { inputShape: input } : {}),
          filters: p[`conv${i}_channels` as 'conv1_channels'],
          kernelSize: k,
          strides: p[`conv${i}_stride` as 'conv1_stride'],
          padding: 'same',
          activation: 'relu',
          kernelInitializer: seededGlorot(layerSeed++),
        }),
      )
    } else if (plan.name.startsWith('pool')) {
      const config = {
        name: plan.name,
        poolSize: p[`pool${i}_kernel` as 'pool1_kernel'],
        strides: p[`pool${i}_stride` as 'pool1_stride'],
        padding: 'same' as const,
      }
      add(plan, () =>
        p[`pool${i}_type` as 'pool1_type'] === 'max'
          ? tf.layers.maxPooling2d(config)
          : tf.layers.averagePooling2d(config),
      )
    } else if (plan.name === 'flatten') {
      add(plan, () => tf.layers.flatten({ name: 'flatten' }))
    } else {
      add(plan, () =>
        tf.layers.dense({
          name: plan.name,
          units: plan.output[0],
          activation: plan.name === 'output' ? 'linear' : 'relu',
          kernelInitializer: seededGlorot(layerSeed++),
        }),
      )
    }
  }
  return model
}

/** Softmax regression: one dense layer on the flattened pixels, outputting logits. */
export function buildSoftmaxRegression(
  input: ImageShape,
  numClasses: number,
  seed: number,
): tf.Sequential {
  const model = tf.sequential()
  model.add(tf.layers.flatten({ name: 'flatten', inputShape: input }))
  model.add(
    tf.layers.dense({
      name: 'output',
      units: numClasses,
      kernelInitializer: seededGlorot(seed),
    }),
  )
  return model
}
