// Runs in trial workers: what the replacement kernels share (calling a backend's own kernels, conv geometry).
// They rely on tfjs internals (backend data maps, kernel registry): @tensorflow/* is pinned to 4.22.0.
import * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'

export type Shape4 = [number, number, number, number]
export type ExplicitPadding = [
  [number, number],
  [number, number],
  [number, number],
  [number, number],
]

/** The slice of the cpu backend the kernels use (its class is not exported by the package we depend on). */
export interface CpuBackendLike {
  data: { get(dataId: object): { values: unknown } | undefined }
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo
}

/** Attributes of Conv2DBackpropFilter / Conv2DBackpropInput, plus `dilations`, which tfjs never passes (its conv gradients refuse dilations > 1) but the kernels honour. */
export interface ConvGradAttrs {
  strides: number | [number, number]
  pad: 'same' | 'valid' | number | ExplicitPadding
  dataFormat?: 'NHWC' | 'NCHW'
  dimRoundingMode?: 'floor' | 'round' | 'ceil'
  dilations?: number | [number, number]
}

/** Attributes of Conv2DBackpropFilter: the filter shape comes as an attribute, the inputs are x and dy. */
export interface BackpropFilterAttrs extends ConvGradAttrs {
  filterShape: Shape4
}

/** Attributes of MaxPoolGrad / AvgPoolGrad. */
export interface PoolGradAttrs {
  filterSize: number | [number, number]
  strides: number | [number, number]
  pad: 'same' | 'valid' | number
  dimRoundingMode?: 'floor' | 'round' | 'ceil'
}

export function poolGradInfo(
  inputShape: number[],
  attrs: PoolGradAttrs,
): tf.backend_util.Conv2DInfo {
  const { filterSize, strides, pad, dimRoundingMode } = attrs
  return tf.backend_util.computePool2DInfo(
    inputShape as Shape4,
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  )
}

export function convGradInfo(
  xShape: number[],
  filterShape: number[],
  attrs: ConvGradAttrs,
  kernel: string,
): tf.backend_util.Conv2DInfo {
  if (attrs.dataFormat === 'NCHW') {
    throw new Error(`${kernel}: dataFormat NCHW is not supported by this kernel, use NHWC`)
  }
  return tf.backend_util.computeConv2DInfo(
    xShape as Shape4,
    filterShape as Shape4,
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
  )
}

/**
 * A kernel config from a function of the kernel's named inputs, its backend and its attributes (tfjs hands a
 * kernel one loosely typed argument; this is the one place that casts it).
 */
export function kernelConfig<I extends string, B, A>(
  kernelName: string,
  backendName: 'cpu' | 'wasm',
  run: (inputs: Record<I, tf.TensorInfo>, backend: B, attrs: A) => tf.TensorInfo,
): tf.KernelConfig {
  const kernelFunc = (args: {
    inputs: tf.NamedTensorInfoMap
    backend: object
    attrs?: tf.NamedAttrMap
  }): tf.TensorInfo =>
    run(
      args.inputs as Record<I, tf.TensorInfo>,
      args.backend as B,
      (args.attrs ?? {}) as unknown as A,
    )
  return { kernelName, backendName, kernelFunc: kernelFunc as tf.KernelFunc }
}

/** The kernel registered under `name` for `backend` now (the stock one, if we have not replaced it). */
export function requireKernel(name: string, backend: string): tf.KernelConfig {
  const k = tf.getKernel(name, backend)
  if (!k) throw new Error(`kernel ${name} is not registered for backend ${backend}`)
  return k
}

/** Calls another wasm kernel directly (no engine, no tape): the result must be freed with disposeInfo unless returned. */
export function runWasmKernel(
  kernel: tf.KernelConfig,
  backend: BackendWasm,
  inputs: Record<string, tf.TensorInfo>,
  attrs: Record<string, unknown>,
): tf.TensorInfo {
  return kernel.kernelFunc({
    inputs,
    backend,
    attrs: attrs as tf.NamedAttrMap,
  }) as tf.TensorInfo
}

export function disposeInfo(backend: BackendWasm, info: tf.TensorInfo): void {
  backend.disposeData(info.dataId)
}

export function wasmValues(backend: BackendWasm, info: tf.TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array
}

export function cpuValues(
  backend: CpuBackendLike,
  info: tf.TensorInfo,
  kernel: string,
): Float32Array {
  const values = backend.data.get(info.dataId)?.values
  if (!(values instanceof Float32Array)) {
    throw new Error(`${kernel}: expected float32 input, got ${info.dtype}`)
  }
  return values
}
