// Runs in trial workers: AvgPoolGrad on the cpu backend as a flat loop (the stock kernel reads and writes
// every element through TensorBuffer get/set).
import type * as tf from '@tensorflow/tfjs'
import { cpuValues, poolGradInfo, type CpuBackendLike, type PoolGradAttrs } from './kernelUtil.ts'
import { avgPoolGradLoop } from './poolGradLoops.ts'

function avgPoolGrad(args: {
  inputs: tf.NamedTensorInfoMap
  backend: object
  attrs?: tf.NamedAttrMap
}): tf.TensorInfo {
  const backend = args.backend as CpuBackendLike
  const { dy, input } = args.inputs as Record<'dy' | 'input', tf.TensorInfo>
  const info = poolGradInfo(input.shape, args.attrs as unknown as PoolGradAttrs)
  const dx = new Float32Array(input.shape.reduce((a, b) => a * b, 1))
  avgPoolGradLoop(cpuValues(backend, dy, 'AvgPoolGrad'), dx, info)
  return backend.makeTensorInfo(input.shape, 'float32', dx)
}

export const cpuAvgPoolGradConfig: tf.KernelConfig = {
  kernelName: 'AvgPoolGrad',
  backendName: 'cpu',
  kernelFunc: avgPoolGrad as tf.KernelFunc,
}
