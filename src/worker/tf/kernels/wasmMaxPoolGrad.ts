// Runs in trial workers: MaxPoolGrad on the wasm backend as a flat JS loop over the heap. wasm's own took
// about as long as the forward convolutions of a LeNet step, and passes no gradient to a window whose
// maximum is negative.
import type * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { poolGradInfo, wasmValues, type PoolGradAttrs } from './kernelUtil.ts'
import { maxPoolGradLoop } from './poolGradLoops.ts'

function maxPoolGrad(args: {
  inputs: tf.NamedTensorInfoMap
  backend: object
  attrs?: tf.NamedAttrMap
}): tf.TensorInfo {
  const backend = args.backend as BackendWasm
  const { dy, input } = args.inputs as Record<'dy' | 'input', tf.TensorInfo>
  const info = poolGradInfo(input.shape, args.attrs as unknown as PoolGradAttrs)
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
