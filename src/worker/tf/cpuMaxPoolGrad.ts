// Runs in trial workers: MaxPoolGrad on the cpu backend as a flat loop (the stock kernel recomputes the argmax
// through TensorBuffer.get for every input element).
import * as tf from '@tensorflow/tfjs'
import { cpuValues, type CpuBackendLike, type Shape4 } from './kernelUtil.ts'
import { maxPoolGradLoop } from './maxPoolGradLoop.ts'

interface PoolAttrs {
  filterSize: number | [number, number]
  strides: number | [number, number]
  pad: 'same' | 'valid' | number
  dimRoundingMode?: 'floor' | 'round' | 'ceil'
}

function maxPoolGrad(args: {
  inputs: tf.NamedTensorInfoMap
  backend: object
  attrs?: tf.NamedAttrMap
}): tf.TensorInfo {
  const backend = args.backend as CpuBackendLike
  const { dy, input } = args.inputs as Record<'dy' | 'input', tf.TensorInfo>
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as PoolAttrs
  const info = tf.backend_util.computePool2DInfo(
    input.shape as Shape4,
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  )
  const dx = new Float32Array(input.shape.reduce((a, b) => a * b, 1))
  maxPoolGradLoop(
    cpuValues(backend, input, 'MaxPoolGrad'),
    cpuValues(backend, dy, 'MaxPoolGrad'),
    dx,
    info,
  )
  return backend.makeTensorInfo(input.shape, 'float32', dx)
}

export const cpuMaxPoolGradConfig: tf.KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'cpu',
  kernelFunc: maxPoolGrad as tf.KernelFunc,
}
