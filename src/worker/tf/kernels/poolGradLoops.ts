// Runs in trial workers: the pooling gradients as single passes over flat arrays, shared by the wasm and cpu
// kernels (the stock ones go element by element: 10–30% of a LeNet step).
import type * as tf from '@tensorflow/tfjs'

/**
 * For each output row (or column) o, where its window starts and ends in the input, stepping by the
 * dilation and clipped to the input: [start₀, end₀, start₁, end₁, …].
 */
function windowSpans(
  outSize: number,
  inSize: number,
  stride: number,
  pad: number,
  dilation: number,
  effectiveSize: number,
): Int32Array {
  const spans = new Int32Array(2 * outSize)
  for (let o = 0; o < outSize; o++) {
    const corner = o * stride - pad
    let start = corner
    while (start < 0) start += dilation
    spans[2 * o] = start
    spans[2 * o + 1] = Math.min(inSize, effectiveSize + corner)
  }
  return spans
}

/** The window spans of every output row and column, from computePool2DInfo's info. */
function poolSpans(info: tf.backend_util.Conv2DInfo): { rows: Int32Array; cols: Int32Array } {
  return {
    rows: windowSpans(
      info.outHeight,
      info.inHeight,
      info.strideHeight,
      info.padInfo.top,
      info.dilationHeight,
      info.effectiveFilterHeight,
    ),
    cols: windowSpans(
      info.outWidth,
      info.inWidth,
      info.strideWidth,
      info.padInfo.left,
      info.dilationWidth,
      info.effectiveFilterWidth,
    ),
  }
}

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
  const { dilationHeight: dh, dilationWidth: dw } = info
  const { rows, cols } = poolSpans(info)
  const { effectiveFilterHeight: efh, effectiveFilterWidth: efw } = info
  const rowStride = inWidth * ch
  const square2 = efh === 2 && efw === 2 && dh === 1 && dw === 1
  dx.fill(0)
  for (let b = 0; b < batchSize; b++) {
    const xBatch = b * inHeight * inWidth * ch
    for (let yr = 0; yr < outHeight; yr++) {
      const rMin = rows[2 * yr]
      const rMax = rows[2 * yr + 1]
      for (let yc = 0; yc < outWidth; yc++) {
        const cMin = cols[2 * yc]
        const cMax = cols[2 * yc + 1]
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
  const { dilationHeight: dh, dilationWidth: dw } = info
  const { rows, cols } = poolSpans(info)
  const share = 1 / (info.filterHeight * info.filterWidth)
  dx.fill(0)
  for (let b = 0; b < batchSize; b++) {
    const xBatch = b * inHeight * inWidth * ch
    for (let yr = 0; yr < outHeight; yr++) {
      const rMin = rows[2 * yr]
      const rMax = rows[2 * yr + 1]
      for (let yc = 0; yc < outWidth; yc++) {
        const cMin = cols[2 * yc]
        const cMax = cols[2 * yc + 1]
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
