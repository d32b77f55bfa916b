// Runs in trial workers at start: registers our kernels over (or beside) the stock ones of the wasm and cpu
// backends. wasm ships without Conv2DBackpropFilter, so without this no convolution trains there at all.
import * as tf from '@tensorflow/tfjs'
import { cpuConv2DBackpropFilterConfig } from './cpuConv2DBackpropFilter.ts'
import {
  cpuAvgPoolGradConfig,
  cpuMaxPoolGradConfig,
  wasmAvgPoolGradConfig,
  wasmMaxPoolGradConfig,
} from './poolGradKernels.ts'
import { createWasmBatchMatMulConfig } from './wasmBatchMatMul.ts'
import { createWasmConv2DBackpropInputConfig } from './wasmConv2DBackpropInput.ts'
import { wasmConv2DBackpropFilterConfig } from './wasmConv2DBackpropFilter.ts'

/** Makes a kernel from the stock one it replaces (undefined when the backend has none). */
type KernelFactory = (stock: tf.KernelConfig | undefined) => tf.KernelConfig

const FAST_KERNELS: Record<string, Record<string, KernelFactory>> = {
  wasm: {
    Conv2DBackpropFilter: () => wasmConv2DBackpropFilterConfig,
    Conv2DBackpropInput: (stock) => createWasmConv2DBackpropInputConfig(required(stock)),
    BatchMatMul: (stock) => createWasmBatchMatMulConfig(required(stock)),
    MaxPoolGrad: () => wasmMaxPoolGradConfig,
    AvgPoolGrad: () => wasmAvgPoolGradConfig,
  },
  cpu: {
    Conv2DBackpropFilter: () => cpuConv2DBackpropFilterConfig,
    MaxPoolGrad: () => cpuMaxPoolGradConfig,
    AvgPoolGrad: () => cpuAvgPoolGradConfig,
  },
}

function required(stock: tf.KernelConfig | undefined): tf.KernelConfig {
  if (!stock) throw new Error('the stock kernel this one wraps is not registered')
  return stock
}

/** Stock kernels we replaced, per backend and name (null: there was none), so they can be put back. */
const replaced = new Map<string, Map<string, tf.KernelConfig | null>>()

/** Registers our kernels for `backend` (wasm or cpu; others have none) once; returns their names. */
export function registerFastKernels(backend: string): string[] {
  const kernels = FAST_KERNELS[backend]
  if (!kernels) return []
  let saved = replaced.get(backend)
  if (saved) return [...saved.keys()]
  saved = new Map()
  for (const [name, make] of Object.entries(kernels)) {
    const current = tf.getKernel(name, backend)
    const stock = current ? { ...current } : undefined
    const config = make(stock)
    if (current) tf.unregisterKernel(name, backend)
    tf.registerKernel(config)
    saved.set(name, stock ?? null)
  }
  replaced.set(backend, saved)
  return [...saved.keys()]
}

/** Puts the stock kernels back (benchmarks and tests compare against them). */
export function restoreStockKernels(backend: string): void {
  const saved = replaced.get(backend)
  if (!saved) return
  for (const [name, stock] of saved) {
    tf.unregisterKernel(name, backend)
    if (stock) tf.registerKernel(stock)
  }
  replaced.delete(backend)
}

/** The stock kernel we replaced under `name`, for comparisons; undefined when none was replaced. */
export function stockKernel(backend: string, name: string): tf.KernelConfig | null | undefined {
  return replaced.get(backend)?.get(name)
}
