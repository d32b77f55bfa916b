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

/** How a backend hands tensor values to the loops, and makes the gradient's tensor from an output array. */
interface Access {
  read(t: tf.TensorInfo): Float32Array
  output(shape: number[]): { values: Float32Array; tensor: () => tf.TensorInfo }
}

const cpuAccess = (backend: CpuBackendLike, name: PoolGradName): Access => ({
  read: (t) => cpuValues(backend, t, name),
  output(shape) {
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1))
    return { values, tensor: () => backend.makeTensorInfo(shape, 'float32', values) }
  },
})

const wasmAccess = (backend: BackendWasm): Access => ({
  read: (t) => wasmValues(backend, t),
  output(shape) {
    const info = backend.makeOutput(shape, 'float32')
    return { values: wasmValues(backend, info), tensor: () => info }
  },
})

function poolGradKernel(
  name: PoolGradName,
  backendName: 'cpu' | 'wasm',
  access: (backend: object) => Access,
): tf.KernelConfig {
  return kernelConfig<'dy' | 'input', object, PoolGradAttrs>(
    name,
    backendName,
    ({ dy, input }, backend, attrs) => {
      const io = access(backend)
      const dx = io.output(input.shape)
      const info = poolGradInfo(input.shape, attrs)
      if (name === 'MaxPoolGrad') maxPoolGradLoop(io.read(input), io.read(dy), dx.values, info)
      else avgPoolGradLoop(io.read(dy), dx.values, info)
      return dx.tensor()
    },
  )
}

const onCpu = (name: PoolGradName) =>
  poolGradKernel(name, 'cpu', (b) => cpuAccess(b as CpuBackendLike, name))
const onWasm = (name: PoolGradName) =>
  poolGradKernel(name, 'wasm', (b) => wasmAccess(b as BackendWasm))

export const cpuMaxPoolGradConfig = onCpu('MaxPoolGrad')
export const cpuAvgPoolGradConfig = onCpu('AvgPoolGrad')
export const wasmMaxPoolGradConfig = onWasm('MaxPoolGrad')
export const wasmAvgPoolGradConfig = onWasm('AvgPoolGrad')
