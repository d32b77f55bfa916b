// Runs in trial workers: MaxPoolGrad on the cpu backend as a flat loop (the stock kernel recomputes the argmax
// and reads every element through TensorBuffer.get).
import type * as tf from '@tensorflow/tfjs'
import { cpuValues, poolGradInfo, type CpuBackendLike, type PoolGradAttrs } from './kernelUtil.ts'
import { maxPoolGradLoop } from './poolGradLoops.ts'

function maxPoolGrad(args: {
  inputs: tf.NamedTensorInfoMap
  backend: object
  attrs?: tf.NamedAttrMap
}): tf.TensorInfo {
  const backend = args.backend as CpuBackendLike
  const { dy, input } = args.inputs as Record<'dy' | 'input', tf.TensorInfo>
  const info = poolGradInfo(input.shape, args.attrs as unknown as PoolGradAttrs)
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
