// Runs in trial workers: wasm's BatchMatMul with the transposes done first. Its own kernel reaches XNNPACK only
// without transposes and runs a plain loop otherwise; dense layers' gradients always ask for one.
import * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { disposeInfo, requireKernel, runWasmKernel } from './kernelUtil.ts'

function swapLastTwo(rank: number): number[] {
  const perm = [...Array(rank).keys()]
  ;[perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]]
  return perm
}

/** Creates the kernel around wasm's stock BatchMatMul, which does the multiplication. */
export function createWasmBatchMatMulConfig(stock: tf.KernelConfig): tf.KernelConfig {
  function batchMatMul(args: {
    inputs: tf.NamedTensorInfoMap
    backend: object
    attrs?: tf.NamedAttrMap
  }): tf.TensorInfo {
    const backend = args.backend as BackendWasm
    const { a, b } = args.inputs as Record<'a' | 'b', tf.TensorInfo>
    const { transposeA, transposeB } = (args.attrs ?? {}) as {
      transposeA?: boolean
      transposeB?: boolean
    }
    if (!transposeA && !transposeB) return stock.kernelFunc(args) as tf.TensorInfo
    const transpose = requireKernel('Transpose', 'wasm')
    const temps: tf.TensorInfo[] = []
    try {
      const at = transposeA
        ? runWasmKernel(transpose, backend, { x: a }, { perm: swapLastTwo(a.shape.length) })
        : a
      if (transposeA) temps.push(at)
      const bt = transposeB
        ? runWasmKernel(transpose, backend, { x: b }, { perm: swapLastTwo(b.shape.length) })
        : b
      if (transposeB) temps.push(bt)
      return stock.kernelFunc({
        inputs: { a: at, b: bt },
        backend,
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      }) as tf.TensorInfo
    } finally {
      for (const t of temps) disposeInfo(backend, t)
    }
  }
  return {
    kernelName: 'BatchMatMul',
    backendName: 'wasm',
    kernelFunc: batchMatMul as tf.KernelFunc,
  }
}
