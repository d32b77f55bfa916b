// Runs in trial workers: the cpu backend's convolution weight gradient as flat-index loops (the stock kernel
// reads every element through TensorBuffer.get and took about 90% of a LeNet step).
import type * as tf from '@tensorflow/tfjs'
import {
  convGradInfo,
  cpuValues,
  kernelConfig,
  type BackpropFilterAttrs,
  type CpuBackendLike,
} from './kernelUtil.ts'

/** dW[kh,kw,ci,co] = Σ_b,oh,ow x[b, oh·s + kh·d − pad, ow·s + kw·d − pad, ci] · dy[b,oh,ow,co]; NHWC. */
export function conv2DBackpropFilterLoop(
  x: Float32Array,
  dy: Float32Array,
  info: tf.backend_util.Conv2DInfo,
): Float32Array {
  const { batchSize, inHeight, inWidth, inChannels: ci, outChannels: co } = info
  const { outHeight, outWidth, filterHeight: kh, filterWidth: kw } = info
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info
  const padTop = info.padInfo.top
  const padLeft = info.padInfo.left
  // Sums in double precision, like the stock kernel, then stored as float32.
  const acc = new Float64Array(kh * kw * ci * co)
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        const dyBase = ((b * outHeight + oh) * outWidth + ow) * co
        for (let r = 0; r < kh; r++) {
          const xr = oh * sh + r * dh - padTop
          if (xr < 0 || xr >= inHeight) continue
          for (let c = 0; c < kw; c++) {
            const xc = ow * sw + c * dw - padLeft
            if (xc < 0 || xc >= inWidth) continue
            const xBase = ((b * inHeight + xr) * inWidth + xc) * ci
            const wBase = (r * kw + c) * ci * co
            for (let i = 0; i < ci; i++) {
              const xv = x[xBase + i]
              if (xv === 0) continue
              const w = wBase + i * co
              for (let o = 0; o < co; o++) acc[w + o] += xv * dy[dyBase + o]
            }
          }
        }
      }
    }
  }
  return Float32Array.from(acc)
}

export const cpuConv2DBackpropFilterConfig = kernelConfig<
  'x' | 'dy',
  CpuBackendLike,
  BackpropFilterAttrs
>('Conv2DBackpropFilter', 'cpu', ({ x, dy }, backend, attrs) => {
  const info = convGradInfo(x.shape, attrs.filterShape, attrs, 'Conv2DBackpropFilter')
  const values = conv2DBackpropFilterLoop(
    cpuValues(backend, x, 'Conv2DBackpropFilter'),
    cpuValues(backend, dy, 'Conv2DBackpropFilter'),
    info,
  )
  return backend.makeTensorInfo(info.filterShape, 'float32', values)
})
