// Test support for the replacement kernels: seeded random cases and direct (naive, double-precision)
// computations of what each kernel must return. Imported by the kernel tests only.
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { beforeAll } from 'vitest'
import { createRng, type Rng } from '../../src/shared/rng.ts'
import type { Shape4 } from '../../src/worker/tf/kernels/kernelUtil.ts'
import { registerFastKernels } from '../../src/worker/tf/kernels/registerFastKernels.ts'

export type Pad = 'same' | 'valid'

export async function useBackend(name: 'wasm' | 'cpu'): Promise<void> {
  tf.env().set('PROD', true)
  if (!(await tf.setBackend(name))) throw new Error(`backend ${name} did not start`)
}

/** In a describe block: the backend started and our kernels registered before its tests. */
export function useFastKernels(backend: 'wasm' | 'cpu'): void {
  beforeAll(async () => {
    await useBackend(backend)
    registerFastKernels(backend)
  })
}

export const rngFor = (seed: number): Rng => createRng(seed)
export const between = (rng: Rng, lo: number, hi: number): number => lo + rng.int(hi - lo + 1)

export function randomValues(rng: Rng, n: number): Float32Array {
  const a = new Float32Array(n)
  for (let i = 0; i < n; i++) a[i] = rng.normal()
  return a
}

/** Standard normal values for a tensor of `shape`, and the tensor. */
export function randomTensor(
  rng: Rng,
  shape: number[],
): { values: Float32Array; tensor: tf.Tensor } {
  const values = randomValues(
    rng,
    shape.reduce((a, b) => a * b, 1),
  )
  return { values, tensor: tf.tensor(values, shape) }
}

/** The attributes of a convolution gradient kernel for a random case (plus its own shape attribute). */
export function convGradAttrs(c: ConvCase, shape: Record<string, Shape4>): Record<string, unknown> {
  return { strides: c.strides, dilations: c.dilations, pad: c.pad, dataFormat: 'NHWC', ...shape }
}

/** Largest absolute difference relative to the largest reference magnitude. */
export function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) return Infinity
  let maxAbs = 0
  let maxDiff = 0
  for (let i = 0; i < want.length; i++) {
    maxAbs = Math.max(maxAbs, Math.abs(want[i]))
    maxDiff = Math.max(maxDiff, Math.abs(want[i] - got[i]))
  }
  return maxDiff / Math.max(maxAbs, 1e-12)
}

/** Runs a kernel through the engine (whatever is registered now) and returns its values. */
export function runKernel(
  name: string,
  inputs: Record<string, tf.Tensor>,
  attrs: Record<string, unknown>,
): Float32Array {
  const out = tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor
  const values = out.dataSync() as Float32Array
  out.dispose()
  return Float32Array.from(values)
}

/** Runs a given kernel config directly on the current backend and returns its values. */
export function runConfig(
  config: tf.KernelConfig,
  inputs: Record<string, tf.Tensor>,
  attrs: Record<string, unknown>,
): Float32Array {
  const backend = tf.backend()
  const info = config.kernelFunc({
    inputs,
    backend,
    attrs: attrs as tf.NamedAttrMap,
  }) as tf.TensorInfo
  const values = Float32Array.from(backend.readSync(info.dataId) as Float32Array)
  backend.disposeData(info.dataId)
  return values
}

export interface ConvCase {
  x: Shape4
  filter: Shape4
  strides: [number, number]
  dilations: [number, number]
  pad: Pad
  info: tf.backend_util.Conv2DInfo
}

/** A random convolution whose geometry is valid for `pad` (a 'valid' filter fits the input). */
export function randomConvCase(
  rng: Rng,
  opts: { maxStride: number; maxDilation: number; strideOrDilation?: boolean },
): ConvCase {
  for (;;) {
    const strides: [number, number] = [
      between(rng, 1, opts.maxStride),
      between(rng, 1, opts.maxStride),
    ]
    let dilations: [number, number] = [
      between(rng, 1, opts.maxDilation),
      between(rng, 1, opts.maxDilation),
    ]
    if (opts.strideOrDilation && (strides[0] > 1 || strides[1] > 1)) dilations = [1, 1]
    const x: Shape4 = [
      between(rng, 1, 3),
      between(rng, 1, 11),
      between(rng, 1, 11),
      between(rng, 1, 5),
    ]
    const filter: Shape4 = [between(rng, 1, 5), between(rng, 1, 5), x[3], between(rng, 1, 5)]
    const pad: Pad = rng.next() < 0.5 ? 'same' : 'valid'
    const eh = (filter[0] - 1) * dilations[0] + 1
    const ew = (filter[1] - 1) * dilations[1] + 1
    if (pad === 'valid' && (eh > x[1] || ew > x[2])) continue
    const info = tf.backend_util.computeConv2DInfo(x, filter, strides, dilations, pad)
    return { x, filter, strides, dilations, pad, info }
  }
}

/** dW by definition, in double precision. */
export function naiveConv2DBackpropFilter(
  x: Float32Array,
  dy: Float32Array,
  info: tf.backend_util.Conv2DInfo,
): Float64Array {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: CI, outChannels: CO } = info
  const { outHeight: OH, outWidth: OW, filterHeight: KH, filterWidth: KW } = info
  const dw = new Float64Array(KH * KW * CI * CO)
  for (let r = 0; r < KH; r++)
    for (let c = 0; c < KW; c++)
      for (let i = 0; i < CI; i++)
        for (let o = 0; o < CO; o++) {
          let sum = 0
          for (let b = 0; b < B; b++)
            for (let oh = 0; oh < OH; oh++)
              for (let ow = 0; ow < OW; ow++) {
                const xr = oh * info.strideHeight + r * info.dilationHeight - info.padInfo.top
                const xc = ow * info.strideWidth + c * info.dilationWidth - info.padInfo.left
                if (xr < 0 || xr >= H || xc < 0 || xc >= W) continue
                sum += x[((b * H + xr) * W + xc) * CI + i] * dy[((b * OH + oh) * OW + ow) * CO + o]
              }
          dw[((r * KW + c) * CI + i) * CO + o] = sum
        }
  return dw
}

/** dx by definition (the adjoint of the convolution), in double precision. */
export function naiveConv2DBackpropInput(
  dy: Float32Array,
  w: Float32Array,
  info: tf.backend_util.Conv2DInfo,
): Float64Array {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: CI, outChannels: CO } = info
  const { outHeight: OH, outWidth: OW, filterHeight: KH, filterWidth: KW } = info
  const dx = new Float64Array(B * H * W * CI)
  for (let b = 0; b < B; b++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++)
        for (let r = 0; r < KH; r++)
          for (let c = 0; c < KW; c++) {
            const xr = oh * info.strideHeight + r * info.dilationHeight - info.padInfo.top
            const xc = ow * info.strideWidth + c * info.dilationWidth - info.padInfo.left
            if (xr < 0 || xr >= H || xc < 0 || xc >= W) continue
            for (let i = 0; i < CI; i++)
              for (let o = 0; o < CO; o++)
                dx[((b * H + xr) * W + xc) * CI + i] +=
                  w[((r * KW + c) * CI + i) * CO + o] * dy[((b * OH + oh) * OW + ow) * CO + o]
          }
  return dx
}

/** Max-pool gradient by definition: each window's gradient to its first maximum (row-major). */
export function naiveMaxPoolGrad(
  x: Float32Array,
  dy: Float32Array,
  info: tf.backend_util.Conv2DInfo,
): Float64Array {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info
  const dx = new Float64Array(B * H * W * C)
  for (let b = 0; b < B; b++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++)
        for (let d = 0; d < C; d++) {
          let best = -Infinity
          let where = -1
          for (let r = 0; r < info.filterHeight; r++)
            for (let c = 0; c < info.filterWidth; c++) {
              const xr = oh * info.strideHeight + r - info.padInfo.top
              const xc = ow * info.strideWidth + c - info.padInfo.left
              if (xr < 0 || xr >= H || xc < 0 || xc >= W) continue
              const i = ((b * H + xr) * W + xc) * C + d
              if (x[i] > best) {
                best = x[i]
                where = i
              }
            }
          if (where >= 0) dx[where] += dy[((b * OH + oh) * OW + ow) * C + d]
        }
  return dx
}

/** Average-pool gradient as tfjs defines it: each window's dy ÷ (window height × width) to every input inside. */
export function naiveAvgPoolGrad(dy: Float32Array, info: tf.backend_util.Conv2DInfo): Float64Array {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info
  const dx = new Float64Array(B * H * W * C)
  const share = 1 / (info.filterHeight * info.filterWidth)
  for (let b = 0; b < B; b++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++)
        for (let r = 0; r < info.filterHeight; r++)
          for (let c = 0; c < info.filterWidth; c++) {
            const xr = oh * info.strideHeight + r - info.padInfo.top
            const xc = ow * info.strideWidth + c - info.padInfo.left
            if (xr < 0 || xr >= H || xc < 0 || xc >= W) continue
            for (let d = 0; d < C; d++)
              dx[((b * H + xr) * W + xc) * C + d] += dy[((b * OH + oh) * OW + ow) * C + d] * share
          }
  return dx
}
