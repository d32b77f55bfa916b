// Runs in trial workers: MaxPoolGrad on the wasm backend as a flat JS loop over the heap (wasm's own took
// about as long as the forward convolutions of a LeNet step).
import * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { wasmValues, type Shape4 } from './kernelUtil.ts'
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
  const backend = args.backend as BackendWasm
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
  const dx = backend.makeOutput(input.shape, 'float32')
  maxPoolGradLoop(
    wasmValues(backend, input),
    wasmValues(backend, dy),
    wasmValues(backend, dx),
    info,
  )
  return dx
}

export const wasmMaxPoolGradConfig: tf.KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as tf.KernelFunc,
}
