import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  createGpuAssigner,
  gpuWorkerEnv,
  parseNvidiaSmi,
  pickGpu,
  queryGpus,
  type GpuInfo,
} from './gpuAssignment.ts'

const dir = mkdtempSync(path.join(os.tmpdir(), 'hpo-gpu-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A folder holding an executable `nvidia-smi` shell script with the given body, for PATH. */
function fakeNvidiaSmi(name: string, body: string): string {
  const bin = path.join(dir, name)
  const file = path.join(bin, 'nvidia-smi')
  mkdirSync(bin, { recursive: true })
  writeFileSync(file, `#!/bin/sh\n${body}\n`)
  chmodSync(file, 0o755)
  return bin
}

const FOUR_GPUS = [
  '0, GPU-aaaa, NVIDIA A100-SXM4-40GB, 40960, 39000, 97',
  '1, GPU-bbbb, NVIDIA A100-SXM4-40GB, 40960, 3, 0',
  '2, GPU-cccc, NVIDIA A100-SXM4-40GB, 40960, 12000, 35',
  '3, GPU-dddd, NVIDIA A100-SXM4-40GB, 40960, 0, [N/A]',
].join('\n')

const gpu = (index: number, used: number, util: number): GpuInfo => ({
  index,
  uuid: `GPU-${index}`,
  name: 'test',
  memoryTotalMiB: 1000,
  memoryUsedMiB: used,
  utilizationPercent: util,
})

describe('nvidia-smi', () => {
  it('parses its CSV query, names with commas and [N/A] included', () => {
    const gpus = parseNvidiaSmi(`${FOUR_GPUS}\n4, GPU-eeee, Tesla T4, rev 2, 15360, 100, 5\n`)
    expect(gpus).toHaveLength(5)
    expect(gpus[0]).toEqual({
      index: 0,
      uuid: 'GPU-aaaa',
      name: 'NVIDIA A100-SXM4-40GB',
      memoryTotalMiB: 40960,
      memoryUsedMiB: 39000,
      utilizationPercent: 97,
    })
    expect(gpus[3].utilizationPercent).toBe(0)
    expect(gpus[4].name).toBe('Tesla T4, rev 2')
    expect(() => parseNvidiaSmi('No devices were found')).toThrow(
      /expected 6 comma-separated fields/,
    )
  })

  it('is queried through PATH with the exact arguments, and its failures become reasons', async () => {
    const bin = fakeNvidiaSmi(
      'ok',
      `[ "$1 $2" = "--query-gpu=index,uuid,name,memory.total,memory.used,utilization.gpu --format=csv,noheader,nounits" ] || { echo "bad args: $*" >&2; exit 3; }\ncat <<'CSV'\n${FOUR_GPUS}\nCSV`,
    )
    const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` }
    const ok = await queryGpus({ env })
    expect(ok.reason).toBeNull()
    expect(ok.gpus.map((g) => g.index)).toEqual([0, 1, 2, 3])

    const failing = fakeNvidiaSmi(
      'failing',
      'echo "NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver." >&2; exit 9',
    )
    const bad = await queryGpus({
      env: { ...process.env, PATH: `${failing}${path.delimiter}${process.env.PATH}` },
    })
    expect(bad).toEqual({
      gpus: [],
      reason:
        'nvidia-smi failed: NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.',
    })
    const none = await queryGpus({ env: { ...process.env, PATH: path.join(dir, 'empty') } })
    expect(none).toEqual({ gpus: [], reason: 'nvidia-smi not found (no NVIDIA driver)' })
  })
})

describe('GPU assignment', () => {
  it('puts one trial per GPU, the free GPU first, then the least loaded', () => {
    const gpus = parseNvidiaSmi(FOUR_GPUS)
    const a = createGpuAssigner(gpus)
    // GPU 3 is idle and empty, GPU 1 idle with 3 MiB in use, GPU 2 busy, GPU 0 nearly full.
    expect([1, 2, 3, 4].map((t) => a.acquire(t))).toEqual([3, 1, 2, 0])
    // More trials than GPUs: they share, the least loaded first.
    expect(a.acquire(5)).toBe(3)
    expect(a.acquire(1)).toBe(3)
    a.release(2)
    expect(a.acquire(6)).toBe(1)
    expect([...a.assignments()]).toEqual([
      [1, 3],
      [3, 2],
      [4, 0],
      [5, 3],
      [6, 1],
    ])
  })

  it('follows fresh load figures and has nothing to give without GPUs', () => {
    const a = createGpuAssigner([gpu(0, 0, 0), gpu(1, 0, 0)])
    expect(a.acquire(1)).toBe(0)
    a.release(1)
    a.update([gpu(0, 900, 80), gpu(1, 0, 0)])
    expect(a.acquire(2)).toBe(1)
    expect(pickGpu([], new Map())).toBeNull()
    expect(createGpuAssigner([]).acquire(1)).toBeNull()
  })

  it('pins the worker to its GPU in nvidia-smi order and lets TensorFlow grow its memory', () => {
    expect(gpuWorkerEnv(2)).toEqual({
      CUDA_DEVICE_ORDER: 'PCI_BUS_ID',
      CUDA_VISIBLE_DEVICES: '2',
      TF_FORCE_GPU_ALLOW_GROWTH: 'true',
    })
    expect(gpuWorkerEnv(null)).toEqual({})
  })
})
