// Runs in trial workers: the input gradient of a stride-1 convolution on the wasm backend, on XNNPACK.
// wasm's own kernel is a plain loop. With stride 1, dx = conv2d(dy, W flipped in space with in/out channels
// swapped, same dilation), padded so every tap of the forward pass is covered; other strides use wasm's own.
import * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import {
  convGradInfo,
  disposeInfo,
  requireKernel,
  runWasmKernel,
  wasmValues,
  type ConvGradAttrs,
} from './kernelUtil.ts'

interface BackpropInputAttrs extends ConvGradAttrs {
  inputShape: [number, number, number, number]
}

/** Creates the kernel around wasm's stock Conv2DBackpropInput, which still serves strides > 1. */
export function createWasmConv2DBackpropInputConfig(stock: tf.KernelConfig): tf.KernelConfig {
  function conv2DBackpropInput(args: {
    inputs: tf.NamedTensorInfoMap
    backend: object
    attrs?: tf.NamedAttrMap
  }): tf.TensorInfo {
    const backend = args.backend as BackendWasm
    const { dy, filter } = args.inputs as Record<'dy' | 'filter', tf.TensorInfo>
    const attrs = args.attrs as unknown as BackpropInputAttrs
    const info = convGradInfo(attrs.inputShape, filter.shape, attrs, 'Conv2DBackpropInput')
    const { inHeight, inWidth, outHeight, outWidth, inChannels, outChannels } = info
    const { filterHeight: kh, filterWidth: kw } = info
    const ekh = info.effectiveFilterHeight
    const ekw = info.effectiveFilterWidth
    const top = ekh - 1 - info.padInfo.top
    const left = ekw - 1 - info.padInfo.left
    const bottom = inHeight - outHeight + info.padInfo.top
    const right = inWidth - outWidth + info.padInfo.left
    const dilated = info.dilationHeight > 1 || info.dilationWidth > 1
    if (
      info.strideHeight !== 1 ||
      info.strideWidth !== 1 ||
      Math.min(top, left, bottom, right) < 0
    ) {
      if (dilated) {
        throw new Error('Conv2DBackpropInput: dilations > 1 are only supported with stride 1')
      }
      return stock.kernelFunc(args) as tf.TensorInfo
    }
    // W [kh,kw,ci,co] → Wf [kh,kw,co,ci] with Wf[r,c,o,i] = W[kh−1−r, kw−1−c, i, o]; filters are small.
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
  return {
    kernelName: 'Conv2DBackpropInput',
    backendName: 'wasm',
    kernelFunc: conv2DBackpropInput as tf.KernelFunc,
  }
}
