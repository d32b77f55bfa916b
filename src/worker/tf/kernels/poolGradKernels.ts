// Runs in trial workers: MaxPoolGrad and AvgPoolGrad on the cpu and wasm backends as flat loops
// (poolGradLoops.ts). The stock cpu kernels read and write every element through TensorBuffer get/set
// (MaxPoolGrad also recomputes the argmax). wasm's MaxPoolGrad took about as long as the forward
// convolutions of a LeNet step and passes no gradient to a window whose maximum is negative; its
// AvgPoolGrad is a per-element loop, about 10% of a step of a CNN with average pooling.
import type * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import {
  cpuValues,
  kernelConfig,
  poolGradInfo,
  wasmValues,
  type CpuBackendLike,
  type PoolGradAttrs,
} from './kernelUtil.ts'
import { avgPoolGradLoop, maxPoolGradLoop } from './poolGradLoops.ts'

type PoolGradName = 'MaxPoolGrad' | 'AvgPoolGrad'

/** dx from dy (and, for max pooling, the input), written into `dx`. */
function poolGrad(
  name: PoolGradName,
  read: (t: tf.TensorInfo) => Float32Array,
  { dy, input }: Record<'dy' | 'input', tf.TensorInfo>,
  dx: Float32Array,
  info: tf.backend_util.Conv2DInfo,
): void {
  if (name === 'MaxPoolGrad') maxPoolGradLoop(read(input), read(dy), dx, info)
  else avgPoolGradLoop(read(dy), dx, info)
}

function cpuPoolGrad(name: PoolGradName): tf.KernelConfig {
  return kernelConfig<'dy' | 'input', CpuBackendLike, PoolGradAttrs>(
    name,
    'cpu',
    (inputs, backend, attrs) => {
      const { shape } = inputs.input
      const dx = new Float32Array(shape.reduce((a, b) => a * b, 1))
      const read = (t: tf.TensorInfo) => cpuValues(backend, t, name)
      poolGrad(name, read, inputs, dx, poolGradInfo(shape, attrs))
      return backend.makeTensorInfo(shape, 'float32', dx)
    },
  )
}

function wasmPoolGrad(name: PoolGradName): tf.KernelConfig {
  return kernelConfig<'dy' | 'input', BackendWasm, PoolGradAttrs>(
    name,
    'wasm',
    (inputs, backend, attrs) => {
      const { shape } = inputs.input
      const dx = backend.makeOutput(shape, 'float32')
      const read = (t: tf.TensorInfo) => wasmValues(backend, t)
      poolGrad(name, read, inputs, read(dx), poolGradInfo(shape, attrs))
      return dx
    },
  )
}

export const cpuMaxPoolGradConfig = cpuPoolGrad('MaxPoolGrad')
export const cpuAvgPoolGradConfig = cpuPoolGrad('AvgPoolGrad')
export const wasmMaxPoolGradConfig = wasmPoolGrad('MaxPoolGrad')
export const wasmAvgPoolGradConfig = wasmPoolGrad('AvgPoolGrad')
