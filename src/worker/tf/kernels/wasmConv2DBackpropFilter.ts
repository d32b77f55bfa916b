// Runs in trial workers: the weight gradient of a convolution on the wasm backend, which ships without one.
// dW is itself a convolution: dW[kh,kw,ci,co] = Σ x[b, oh·s + kh·d − pad, ow·s + kw·d − pad, ci] · dy[b,oh,ow,co],
// i.e. conv2d(xᵀ = x as [ci,h,w,b], dyᵀ = dy as [oh,ow,b,co]) with stride d and dilation s, run on XNNPACK.
// (wasm's Conv3DBackpropFilterV2 gives wrong results for strides > 1, so it is not used.)
import * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import {
  convGradInfo,
  disposeInfo,
  requireKernel,
  runWasmKernel,
  wasmValues,
  kernelConfig,
  type BackpropFilterAttrs,
} from './kernelUtil.ts'

function conv2DBackpropFilter(
  { x, dy }: Record<'x' | 'dy', tf.TensorInfo>,
  backend: BackendWasm,
  attrs: BackpropFilterAttrs,
): tf.TensorInfo {
  const info = convGradInfo(x.shape, attrs.filterShape, attrs, 'Conv2DBackpropFilter')
  const { batchSize, inHeight, inWidth, inChannels, outChannels, outHeight, outWidth } = info
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info
  const { dilationHeight: dh, dilationWidth: dw } = info
  const padTop = info.padInfo.top
  const padLeft = info.padInfo.left
  if (dy.shape[1] !== outHeight || dy.shape[2] !== outWidth || dy.shape[3] !== outChannels) {
    throw new Error(
      `Conv2DBackpropFilter: dy shape ${dy.shape} does not match the convolution's output ${[batchSize, outHeight, outWidth, outChannels]}`,
    )
  }
  // Bottom/right padding so the dW convolution covers every filter tap; extra rows it yields are cropped below.
  const padBottom = Math.max(0, (kh - 1) * dh + (outHeight - 1) * sh + 1 - inHeight - padTop)
  const padRight = Math.max(0, (kw - 1) * dw + (outWidth - 1) * sw + 1 - inWidth - padLeft)

  const transpose = requireKernel('Transpose', 'wasm')
  const conv2d = requireKernel('Conv2D', 'wasm')
  const xT = runWasmKernel(transpose, backend, { x }, { perm: [3, 1, 2, 0] })
  const dyT = runWasmKernel(transpose, backend, { x: dy }, { perm: [1, 2, 0, 3] })
  let full: tf.TensorInfo
  try {
    full = runWasmKernel(
      conv2d,
      backend,
      { x: xT, filter: dyT },
      {
        strides: [dh, dw],
        dilations: [sh, sw],
        pad: [
          [0, 0],
          [padTop, padBottom],
          [padLeft, padRight],
          [0, 0],
        ],
        dataFormat: 'NHWC',
      },
    )
  } finally {
    disposeInfo(backend, xT)
    disposeInfo(backend, dyT)
  }
  // full is [ci, fh ≥ kh, fw ≥ kw, co]; dW is [kh, kw, ci, co].
  const [, fh, fw] = full.shape
  if (fh === kh && fw === kw) {
    const out = runWasmKernel(transpose, backend, { x: full }, { perm: [1, 2, 0, 3] })
    disposeInfo(backend, full)
    return out
  }
  const out = backend.makeOutput([kh, kw, inChannels, outChannels], 'float32')
  const src = wasmValues(backend, full)
  const dst = wasmValues(backend, out)
  for (let r = 0; r < kh; r++) {
    for (let c = 0; c < kw; c++) {
      for (let ci = 0; ci < inChannels; ci++) {
        const from = ((ci * fh + r) * fw + c) * outChannels
        dst.set(
          src.subarray(from, from + outChannels),
          ((r * kw + c) * inChannels + ci) * outChannels,
        )
      }
    }
  }
  disposeInfo(backend, full)
  return out
}

export const wasmConv2DBackpropFilterConfig = kernelConfig(
  'Conv2DBackpropFilter',
  'wasm',
  conv2DBackpropFilter,
)
