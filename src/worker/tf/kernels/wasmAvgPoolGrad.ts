// Runs in trial workers: AvgPoolGrad on the wasm backend as a flat JS loop over the heap (wasm's own is a
// per-element loop, about 10% of a step of a CNN with average pooling).
import type * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { poolGradInfo, wasmValues, type PoolGradAttrs } from './kernelUtil.ts'
import { avgPoolGradLoop } from './poolGradLoops.ts'

function avgPoolGrad(args: {
  inputs: tf.NamedTensorInfoMap
  backend: object
  attrs?: tf.NamedAttrMap
}): tf.TensorInfo {
  const backend = args.backend as BackendWasm
  const { dy, input } = args.inputs as Record<'dy' | 'input', tf.TensorInfo>
  const info = poolGradInfo(input.shape, args.attrs as unknown as PoolGradAttrs)
  const dx = backend.makeOutput(input.shape, 'float32')
  avgPoolGradLoop(wasmValues(backend, dy), wasmValues(backend, dx), info)
  return dx
}

export const wasmAvgPoolGradConfig: tf.KernelConfig = {
  kernelName: 'AvgPoolGrad',
  backendName: 'wasm',
  kernelFunc: avgPoolGrad as tf.KernelFunc,
}
