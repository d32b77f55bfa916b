// Runs in trial workers: IDX files (the MNIST / Fashion-MNIST format), gzipped or not, checked before use.
// Format: two zero bytes, a type byte (0x08 = unsigned byte), the number of dimensions, each dimension as a
// big-endian uint32, then the values row-major.
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { MAX_IDX_BYTES } from '../../shared/objectiveSpec.ts'
import { readDataFile, type DataFileError } from './readDataFile.ts'

export interface IdxArray {
  dims: number[]
  data: Uint8Array
}

/** A pair of IDX files read together: images (count × height × width [× channels]) and their labels. */
export interface IdxImages {
  count: number
  height: number
  width: number
  channels: number
  pixels: Uint8Array
  labels: Uint8Array
  /** Largest label + 1. */
  numClasses: number
}

const TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'short',
  0x0c: 'int',
  0x0d: 'float',
  0x0e: 'double',
}

export class IdxError extends Error {
  constructor(
    readonly file: string,
    detail: string,
    /** What is wrong, without the file's bytes (the detail may quote its magic number). */
    readonly reason: string = detail,
  ) {
    super(`${file}: ${detail}`)
    this.name = 'IdxError'
  }

  /** The file and the reason — never bytes of the file (it may be any file). */
  get withoutContent(): string {
    return `${this.file}: ${this.reason}`
  }
}

const isGzip = (b: Uint8Array) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b

/** Parses an IDX file's bytes (gunzipping them first when they are gzipped); `file` names it in errors. */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  let buf = bytes
  if (isGzip(bytes)) {
    try {
      buf = gunzipSync(bytes, { maxOutputLength: MAX_IDX_BYTES })
    } catch (e) {
      throw new IdxError(file, `not a valid gzip file: ${(e as Error).message}`)
    }
  }
  if (buf.length < 4) {
    throw new IdxError(file, `truncated: expected at least 4 bytes of header, found ${buf.length}`)
  }
  const magic = `0x${Buffer.from(buf.subarray(0, 4)).toString('hex')}`
  if (buf[0] !== 0 || buf[1] !== 0 || !(buf[2] in TYPE_NAMES) || buf[3] < 1) {
    throw new IdxError(
      file,
      `not an IDX file: bad magic number ${magic} (expected 0x0000 08 NN, e.g. 0x00000803 for images, 0x00000801 for labels)`,
      'not an IDX file: bad magic number (expected 0x0000 08 NN, e.g. 0x00000803 for images, 0x00000801 for labels)',
    )
  }
  if (buf[2] !== 0x08) {
    throw new IdxError(
      file,
      `holds ${TYPE_NAMES[buf[2]]} values (magic ${magic}); only unsigned bytes (0x08) are supported`,
      `holds ${TYPE_NAMES[buf[2]]} values; only unsigned bytes (0x08) are supported`,
    )
  }
  const ndims = buf[3]
  const headerBytes = 4 + 4 * ndims
  if (buf.length < headerBytes) {
    throw new IdxError(
      file,
      `truncated: expected ${headerBytes} bytes of header for ${ndims} dimensions, found ${buf.length}`,
    )
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  const dims: number[] = []
  for (let i = 0; i < ndims; i++) dims.push(view.getUint32(4 + 4 * i, false))
  const values = dims.reduce((a, b) => a * b, 1)
  const expected = headerBytes + values
  if (buf.length < expected) {
    throw new IdxError(
      file,
      `truncated: expected ${expected} bytes (header ${headerBytes} + ${dims.join('×')} values), found ${buf.length}`,
    )
  }
  if (buf.length > expected) {
    throw new IdxError(
      file,
      `has ${buf.length - expected} bytes after the ${expected} its header declares (${dims.join('×')} values)`,
    )
  }
  return { dims, data: buf.subarray(headerBytes, expected) }
}

export async function readIdx(file: string): Promise<IdxArray> {
  let bytes: Buffer
  try {
    bytes = readDataFile(file, MAX_IDX_BYTES)
  } catch (e) {
    throw new IdxError(file, (e as DataFileError).detail)
  }
  return parseIdx(bytes, file)
}

/** Pairs an images file with its labels file and checks they agree. */
export function pairIdx(
  images: IdxArray,
  labels: IdxArray,
  files: { images: string; labels: string },
): IdxImages {
  const [count, height, width, channels = 1] = images.dims
  if (images.dims.length !== 3 && images.dims.length !== 4) {
    throw new IdxError(
      files.images,
      `expected images with 3 dimensions (count × height × width) or 4 (× channels), found ${images.dims.length}: ${images.dims.join('×')}`,
    )
  }
  if (labels.dims.length !== 1) {
    throw new IdxError(
      files.labels,
      `expected labels with 1 dimension, found ${labels.dims.length}: ${labels.dims.join('×')}`,
    )
  }
  if (labels.dims[0] !== count) {
    throw new IdxError(
      files.labels,
      `has ${labels.dims[0]} labels but ${path.basename(files.images)} has ${count} images`,
    )
  }
  if (count === 0 || height === 0 || width === 0 || channels === 0) {
    throw new IdxError(files.images, `holds no images (${images.dims.join('×')})`)
  }
  let max = 0
  for (const l of labels.data) if (l > max) max = l
  if (max < 1)
    throw new IdxError(files.labels, `every label is ${max}: a classifier needs 2 classes or more`)
  return {
    count,
    height,
    width,
    channels,
    pixels: images.data,
    labels: labels.data,
    numClasses: max + 1,
  }
}

export async function readIdxImages(files: { images: string; labels: string }): Promise<IdxImages> {
  const [images, labels] = await Promise.all([readIdx(files.images), readIdx(files.labels)])
  return pairIdx(images, labels, files)
}
