// Runs in trial workers: the pooling gradients as single passes over flat arrays, shared by the wasm and cpu
// kernels (the stock ones go element by element: 10–30% of a LeNet step).
import type * as tf from '@tensorflow/tfjs'

/**
 * dx (zeroed here) += dy routed to each window's maximum of x; NHWC, info from computePool2DInfo. As tfjs:
 * the first largest input in row-major order wins; a window of only NaN/−∞ passes nothing.
 */
export function maxPoolGradLoop(
  x: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
  info: tf.backend_util.Conv2DInfo,
): void {
  const { batchSize, inHeight, inWidth, inChannels: ch, outHeight, outWidth } = info
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info
  const { effectiveFilterHeight: efh, effectiveFilterWidth: efw } = info
  const padTop = info.padInfo.top
  const padLeft = info.padInfo.left
  const rowStride = inWidth * ch
  const square2 = efh === 2 && efw === 2 && dh === 1 && dw === 1
  dx.fill(0)
  for (let b = 0; b < batchSize; b++) {
    const xBatch = b * inHeight * inWidth * ch
    for (let yr = 0; yr < outHeight; yr++) {
      const rCorner = yr * sh - padTop
      let rMin = rCorner
      while (rMin < 0) rMin += dh
      const rMax = Math.min(inHeight, efh + rCorner)
      for (let yc = 0; yc < outWidth; yc++) {
        const cCorner = yc * sw - padLeft
        let cMin = cCorner
        while (cMin < 0) cMin += dw
        const cMax = Math.min(inWidth, efw + cCorner)
        const yBase = ((b * outHeight + yr) * outWidth + yc) * ch
        if (square2 && rMax - rMin === 2 && cMax - cMin === 2) {
          // The common 2×2 window, unrolled: about 1.7× faster than the general loop below.
          const first = xBatch + (rMin * inWidth + cMin) * ch
          for (let d = 0; d < ch; d++) {
            const i0 = first + d
            const i1 = i0 + ch
            const i2 = i0 + rowStride
            const i3 = i2 + ch
            let where = -1
            let best = -Infinity
            if (x[i0] > best) {
              best = x[i0]
              where = i0
            }
            if (x[i1] > best) {
              best = x[i1]
              where = i1
            }
            if (x[i2] > best) {
              best = x[i2]
              where = i2
            }
            if (x[i3] > best) where = i3
            if (where >= 0) dx[where] += dy[yBase + d]
          }
          continue
        }
        for (let d = 0; d < ch; d++) {
          let best = -Infinity
          let where = -1
          for (let r = rMin; r < rMax; r += dh) {
            for (let c = cMin; c < cMax; c += dw) {
              const i = xBatch + (r * inWidth + c) * ch + d
              const v = x[i]
              if (v > best) {
                best = v
                where = i
              }
            }
          }
          if (where >= 0) dx[where] += dy[yBase + d]
        }
      }
    }
  }
}

/**
 * dx = each window's dy spread evenly over the window's inputs, NHWC. As tfjs's own kernels, the share is
 * 1 ÷ (window height × width) also where a 'same' window hangs over the edge (its forward pass averages
 * only the inputs inside).
 */
export function avgPoolGradLoop(
  dy: Float32Array,
  dx: Float32Array,
  info: tf.backend_util.Conv2DInfo,
): void {
  const { batchSize, inHeight, inWidth, inChannels: ch, outHeight, outWidth } = info
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info
  const { effectiveFilterHeight: efh, effectiveFilterWidth: efw } = info
  const share = 1 / (info.filterHeight * info.filterWidth)
  const padTop = info.padInfo.top
  const padLeft = info.padInfo.left
  dx.fill(0)
  for (let b = 0; b < batchSize; b++) {
    const xBatch = b * inHeight * inWidth * ch
    for (let yr = 0; yr < outHeight; yr++) {
      const rCorner = yr * sh - padTop
      let rMin = rCorner
      while (rMin < 0) rMin += dh
      const rMax = Math.min(inHeight, efh + rCorner)
      for (let yc = 0; yc < outWidth; yc++) {
        const cCorner = yc * sw - padLeft
        let cMin = cCorner
        while (cMin < 0) cMin += dw
        const cMax = Math.min(inWidth, efw + cCorner)
        const yBase = ((b * outHeight + yr) * outWidth + yc) * ch
        for (let r = rMin; r < rMax; r += dh) {
          for (let c = cMin; c < cMax; c += dw) {
            const xBase = xBatch + (r * inWidth + c) * ch
            for (let d = 0; d < ch; d++) dx[xBase + d] += dy[yBase + d] * share
          }
        }
      }
    }
  }
}
