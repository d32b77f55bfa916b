// Runs in trial workers: wasm's BatchMatMul, arranged so XNNPACK does the work cheaply. wasm's own kernel
// reaches XNNPACK only without transposes (a plain loop otherwise), and XNNPACK repacks its right operand on
// every call, since in training that operand is new each step. So each product is computed either as
// op(a)·op(b) or as (op(b)ᵀ·op(a)ᵀ)ᵀ, whichever moves fewer elements in transposes and packing: a dense
// layer's input gradient dy·Wᵀ becomes (W·dyᵀ)ᵀ, which never transposes or packs the weights.
import * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { disposeInfo, kernelConfig, requireKernel, runWasmKernel } from './kernelUtil.ts'

interface BatchMatMulAttrs {
  transposeA?: boolean
  transposeB?: boolean
}

/** Relative costs per element, measured on a 3136×512 product: packing takes about twice a transpose. */
const TRANSPOSE_COST = 1
const PACK_COST = 2

function swapLastTwo(rank: number): number[] {
  const perm = [...Array(rank).keys()]
  ;[perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]]
  return perm
}

const size = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1)

/** Creates the kernel around wasm's stock BatchMatMul, which does the multiplication. */
export function createWasmBatchMatMulConfig(stock: tf.KernelConfig): tf.KernelConfig {
  function batchMatMul(
    { a, b }: Record<'a' | 'b', tf.TensorInfo>,
    backend: BackendWasm,
    attrs: BatchMatMulAttrs,
  ): tf.TensorInfo {
    const { transposeA = false, transposeB = false } = attrs
    const asIs = () =>
      stock.kernelFunc({
        inputs: { a, b },
        backend,
        attrs: attrs as tf.NamedAttrMap,
      }) as tf.TensorInfo
    const transposeKernel = requireKernel('Transpose', 'wasm')
    const temps: tf.TensorInfo[] = []
    const transposed = (t: tf.TensorInfo) => {
      const out = runWasmKernel(
        transposeKernel,
        backend,
        { x: t },
        { perm: swapLastTwo(t.shape.length) },
      )
      temps.push(out)
      return out
    }
    const multiply = (x: tf.TensorInfo, y: tf.TensorInfo) =>
      stock.kernelFunc({
        inputs: { a: x, b: y },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false } as tf.NamedAttrMap,
      }) as tf.TensorInfo
    try {
      const ra = a.shape.length
      const rb = b.shape.length
      // XNNPACK serves only single products; batched ones run wasm's loop either way.
      const single = size(a.shape.slice(0, -2)) === 1 && size(b.shape.slice(0, -2)) === 1
      if (!single) {
        if (!transposeA && !transposeB) return asIs()
        return multiply(transposeA ? transposed(a) : a, transposeB ? transposed(b) : b)
      }
      const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2]
      const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1]
      const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1]
      const direct =
        TRANSPOSE_COST * ((transposeA ? m * k : 0) + (transposeB ? k * n : 0)) + PACK_COST * k * n
      const swapped =
        TRANSPOSE_COST * ((transposeA ? 0 : m * k) + (transposeB ? 0 : k * n) + m * n) +
        PACK_COST * k * m
      if (direct <= swapped) {
        if (!transposeA && !transposeB) return asIs()
        return multiply(transposeA ? transposed(a) : a, transposeB ? transposed(b) : b)
      }
      // (op(b)ᵀ · op(a)ᵀ)ᵀ: op(b)ᵀ is b itself when b comes transposed, op(a)ᵀ is a when a does.
      const product = multiply(transposeB ? b : transposed(b), transposeA ? a : transposed(a))
      temps.push(product)
      const out = runWasmKernel(
        transposeKernel,
        backend,
        { x: product },
        { perm: swapLastTwo(product.shape.length) },
      )
      const batchShape =
        a.shape.length >= b.shape.length ? a.shape.slice(0, -2) : b.shape.slice(0, -2)
      out.shape = [...batchShape, m, n]
      return out
    } finally {
      for (const t of temps) disposeInfo(backend, t)
    }
  }
  return kernelConfig('BatchMatMul', 'wasm', batchMatMul)
}
