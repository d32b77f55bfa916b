// Runs in trial workers: the input gradient of a convolution on the wasm backend, on XNNPACK (wasm's own
// kernel is a plain loop). With stride 1, dx = conv2d(dy, W flipped in space with in/out channels swapped,
// same dilation), padded so every tap of the forward pass is covered. With stride s, the rows (columns) of dx
// fall into s phases, each a stride-1 convolution of dy with the taps of W that reach that phase: s² small
// convolutions with no wasted work, interleaved into dx.
import * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import {
  convGradInfo,
  disposeInfo,
  kernelConfig,
  requireKernel,
  runWasmKernel,
  wasmValues,
  type ConvGradAttrs,
} from './kernelUtil.ts'

interface BackpropInputAttrs extends ConvGradAttrs {
  inputShape: [number, number, number, number]
}

/** One phase of a strided input gradient along one axis: which dx rows, which filter taps, which padding. */
interface Phase {
  /** First dx row of the phase; its rows are first, first + s, … (count of them). */
  first: number
  count: number
  /** First filter tap reaching the phase and how many (every s-th). */
  tap: number
  taps: number
  /** Padding of dy for the phase's convolution, and the output rows to skip before the phase's first. */
  padBefore: number
  padAfter: number
  skip: number
}

function phases(size: number, outSize: number, k: number, s: number, padBefore: number): Phase[] {
  const out: Phase[] = []
  for (let first = 0; first < s; first++) {
    const count = Math.ceil((size - first) / s)
    if (count <= 0) continue
    const tap = (first + padBefore) % s
    const taps = tap < k ? Math.ceil((k - tap) / s) : 0
    // dx[first + i·s] = Σ_j W[tap + j·s] · dy[base + i − j]: a correlation with the reversed taps.
    const base = (first + padBefore - tap) / s
    const want = taps - 1 - base
    const before = Math.max(0, want)
    const skip = before - want
    const after = Math.max(0, count + skip - outSize - before + taps - 1)
    out.push({ first, count, tap, taps, padBefore: before, padAfter: after, skip })
  }
  return out
}

/** W [kh,kw,ci,co] → Wf [kh,kw,co,ci] with Wf[r,c,o,i] = W[kh−1−r, kw−1−c, i, o]; filters are small. */
function flippedFilter(
  backend: BackendWasm,
  filter: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const { filterHeight: kh, filterWidth: kw, inChannels, outChannels } = info
  const flipped = backend.makeOutput([kh, kw, outChannels, inChannels], 'float32')
  const w = wasmValues(backend, filter)
  const wf = wasmValues(backend, flipped)
  for (let r = 0; r < kh; r++) {
    for (let c = 0; c < kw; c++) {
      const src = ((kh - 1 - r) * kw + (kw - 1 - c)) * inChannels * outChannels
      const dst = (r * kw + c) * outChannels * inChannels
      for (let i = 0; i < inChannels; i++) {
        for (let o = 0; o < outChannels; o++) {
          wf[dst + o * inChannels + i] = w[src + i * outChannels + o]
        }
      }
    }
  }
  return flipped
}

/** Stride > 1 (dilation 1): one stride-1 convolution per phase pair, written into every s-th row and column. */
function stridedBackpropInput(
  backend: BackendWasm,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const {
    batchSize,
    inHeight,
    inWidth,
    outHeight,
    outWidth,
    inChannels: ci,
    outChannels: co,
  } = info
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info
  const rows = phases(inHeight, outHeight, kh, sh, info.padInfo.top)
  const cols = phases(inWidth, outWidth, kw, sw, info.padInfo.left)
  const conv2d = requireKernel('Conv2D', 'wasm')
  const dx = backend.makeOutput([batchSize, inHeight, inWidth, ci], 'float32')
  // wasm's allocator does not clear memory, and phases no tap reaches stay zero.
  wasmValues(backend, dx).fill(0)
  for (const r of rows) {
    for (const c of cols) {
      if (r.taps === 0 || c.taps === 0) continue
      const sub = backend.makeOutput([r.taps, c.taps, co, ci], 'float32')
      const w = wasmValues(backend, filter)
      const f = wasmValues(backend, sub)
      for (let j = 0; j < r.taps; j++) {
        for (let k = 0; k < c.taps; k++) {
          const src =
            ((r.tap + (r.taps - 1 - j) * sh) * kw + c.tap + (c.taps - 1 - k) * sw) * ci * co
          const dst = (j * c.taps + k) * co * ci
          for (let i = 0; i < ci; i++) {
            for (let o = 0; o < co; o++) f[dst + o * ci + i] = w[src + i * co + o]
          }
        }
      }
      let part: tf.TensorInfo
      try {
        part = runWasmKernel(
          conv2d,
          backend,
          { x: dy, filter: sub },
          {
            strides: [1, 1],
            dilations: [1, 1],
            pad: [
              [0, 0],
              [r.padBefore, r.padAfter],
              [c.padBefore, c.padAfter],
              [0, 0],
            ],
            dataFormat: 'NHWC',
          },
        )
      } finally {
        disposeInfo(backend, sub)
      }
      // Views are taken after the convolution: it may have grown (and so moved) the wasm heap.
      const [, ph, pw] = part.shape
      const src = wasmValues(backend, part)
      const out = wasmValues(backend, dx)
      for (let b = 0; b < batchSize; b++) {
        for (let i = 0; i < r.count; i++) {
          const srcRow = (b * ph + i + r.skip) * pw
          const dstRow = (b * inHeight + r.first + i * sh) * inWidth
          for (let k = 0; k < c.count; k++) {
            const from = (srcRow + k + c.skip) * ci
            out.set(src.subarray(from, from + ci), (dstRow + c.first + k * sw) * ci)
          }
        }
      }
      disposeInfo(backend, part)
    }
  }
  return dx
}

/** Creates the kernel around wasm's stock Conv2DBackpropInput (kept for layouts ours does not cover). */
export function createWasmConv2DBackpropInputConfig(stock: tf.KernelConfig): tf.KernelConfig {
  function conv2DBackpropInput(
    { dy, filter }: Record<'dy' | 'filter', tf.TensorInfo>,
    backend: BackendWasm,
    attrs: BackpropInputAttrs,
  ): tf.TensorInfo {
    const info = convGradInfo(attrs.inputShape, filter.shape, attrs, 'Conv2DBackpropInput')
    const { inHeight, inWidth, outHeight, outWidth } = info
    const ekh = info.effectiveFilterHeight
    const ekw = info.effectiveFilterWidth
    const top = ekh - 1 - info.padInfo.top
    const left = ekw - 1 - info.padInfo.left
    const bottom = inHeight - outHeight + info.padInfo.top
    const right = inWidth - outWidth + info.padInfo.left
    const dilated = info.dilationHeight > 1 || info.dilationWidth > 1
    const strided = info.strideHeight > 1 || info.strideWidth > 1
    if (strided && dilated) {
      throw new Error('Conv2DBackpropInput: dilations > 1 are only supported with stride 1')
    }
    if (strided) return stridedBackpropInput(backend, dy, filter, info)
    if (Math.min(top, left, bottom, right) < 0)
      return stock.kernelFunc({
        inputs: { dy, filter },
        backend,
        attrs: attrs as unknown as tf.NamedAttrMap,
      }) as tf.TensorInfo
    const flipped = flippedFilter(backend, filter, info)
    try {
      return runWasmKernel(
        requireKernel('Conv2D', 'wasm'),
        backend,
        { x: dy, filter: flipped },
        {
          strides: [1, 1],
          dilations: [info.dilationHeight, info.dilationWidth],
          pad: [
            [0, 0],
            [top, bottom],
            [left, right],
            [0, 0],
          ],
          dataFormat: 'NHWC',
        },
      )
    } finally {
      disposeInfo(backend, flipped)
    }
  }
  return kernelConfig('Conv2DBackpropInput', 'wasm', conv2DBackpropInput)
}
