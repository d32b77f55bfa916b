import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { encodeIdx } from '../../../test/fixtures/idx/idxFixtures.ts'
import { pairIdx, parseIdx, readIdx, readIdxImages } from './readIdx.ts'

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/idx/fashion-mnist')
const dir = mkdtempSync(path.join(os.tmpdir(), 'hpo-idx-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const images = (n: number, h = 3, w = 2) =>
  encodeIdx(
    [n, h, w],
    Uint8Array.from({ length: n * h * w }, (_, i) => i % 251),
  )
const labels = (values: number[]) => encodeIdx([values.length], Uint8Array.from(values))

describe('parseIdx', () => {
  it('reads dimensions and values, gzipped or not', () => {
    const raw = images(4)
    for (const bytes of [raw, gzipSync(raw)]) {
      const idx = parseIdx(bytes, 'x')
      expect(idx.dims).toEqual([4, 3, 2])
      expect(idx.data.length).toBe(24)
      expect(idx.data[23]).toBe(23)
    }
  })

  it('refuses a bad magic number, naming the file and the number', () => {
    const bytes = Buffer.from(images(1))
    bytes[0] = 0x1a
    expect(() => parseIdx(bytes, 'a.idx')).toThrow(
      /^a\.idx: not an IDX file: bad magic number 0x1a000803/,
    )
    expect(() => parseIdx(Buffer.from('P5\n28 28\n255\n'), 'b.pgm')).toThrow(
      /bad magic number 0x50350a32/,
    )
  })

  it('refuses a truncated file with the bytes expected and found', () => {
    const bytes = images(2).subarray(0, 20)
    expect(() => parseIdx(bytes, 't.idx')).toThrow(
      't.idx: truncated: expected 28 bytes (header 16 + 2×3×2 values), found 20',
    )
    expect(() => parseIdx(images(2).subarray(0, 10), 't.idx')).toThrow(
      't.idx: truncated: expected 16 bytes of header for 3 dimensions, found 10',
    )
    expect(() => parseIdx(gzipSync(images(2).subarray(0, 27)), 'z.gz')).toThrow(
      'z.gz: truncated: expected 28 bytes (header 16 + 2×3×2 values), found 27',
    )
  })

  it('refuses bytes beyond what the header declares, a broken gzip and non-byte values', () => {
    expect(() => parseIdx(Buffer.concat([images(1), Buffer.from([1, 2])]), 'l.idx')).toThrow(
      'l.idx: has 2 bytes after the 22 its header declares (1×3×2 values)',
    )
    const gz = gzipSync(images(50))
    expect(() => parseIdx(gz.subarray(0, gz.length - 10), 'c.gz')).toThrow(
      /^c\.gz: not a valid gzip file/,
    )
    const floats = Buffer.from(images(1))
    floats[2] = 0x0d
    expect(() => parseIdx(floats, 'f.idx')).toThrow(/holds float values .* only unsigned bytes/)
  })
})

describe('readIdxImages', () => {
  it('pairs images with labels and counts the classes', async () => {
    const data = await readIdxImages({
      images: path.join(FIXTURES, 'train-images-idx3-ubyte.gz'),
      labels: path.join(FIXTURES, 'train-labels-idx1-ubyte'),
    })
    expect(data).toMatchObject({ count: 40, height: 8, width: 8, channels: 1, numClasses: 4 })
    expect(data.pixels.length).toBe(40 * 64)
  })

  it('refuses images and labels whose counts differ', () => {
    const files = { images: '/d/imgs.idx', labels: '/d/lbls.idx' }
    expect(() =>
      pairIdx(parseIdx(images(3), files.images), parseIdx(labels([0, 1]), files.labels), files),
    ).toThrow('/d/lbls.idx: has 2 labels but imgs.idx has 3 images')
  })

  it('refuses labels given as images, one class only, and a missing file', async () => {
    const files = { images: '/d/i', labels: '/d/l' }
    expect(() => pairIdx(parseIdx(images(2), 'i'), parseIdx(images(2), 'l'), files)).toThrow(
      '/d/l: expected labels with 1 dimension, found 3: 2×3×2',
    )
    expect(() =>
      pairIdx(parseIdx(labels([1, 2]), 'i'), parseIdx(labels([1, 2]), 'l'), files),
    ).toThrow(/expected images with 3 dimensions/)
    expect(() => pairIdx(parseIdx(images(2), 'i'), parseIdx(labels([0, 0]), 'l'), files)).toThrow(
      '/d/l: every label is 0: a classifier needs 2 classes or more',
    )
    const missing = path.join(dir, 'nope.idx')
    await expect(readIdx(missing)).rejects.toThrow(`${missing}: file not found`)
    writeFileSync(path.join(dir, 'ok.idx'), images(1))
    await expect(readIdx(path.join(dir, 'ok.idx'))).resolves.toMatchObject({ dims: [1, 3, 2] })
  })
})
