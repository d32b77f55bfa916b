// Runs in main: which GPU each trial worker gets. With several GPUs, one trial per GPU (a free one first, else
// the least loaded); each worker is pinned with CUDA_VISIBLE_DEVICES and lets TensorFlow grow its memory, or
// the first TensorFlow process on a card takes all of it.
import { execFile } from 'node:child_process'

export interface GpuInfo {
  /** nvidia-smi's index (PCI bus order). */
  index: number
  uuid: string
  name: string
  memoryTotalMiB: number
  memoryUsedMiB: number
  utilizationPercent: number
}

export const NVIDIA_SMI_ARGS = [
  '--query-gpu=index,uuid,name,memory.total,memory.used,utilization.gpu',
  '--format=csv,noheader,nounits',
]

/** Parses `nvidia-smi --query-gpu=index,uuid,name,memory.total,memory.used,utilization.gpu --format=csv,noheader,nounits`. */
export function parseNvidiaSmi(text: string): GpuInfo[] {
  const gpus: GpuInfo[] = []
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue
    const cells = line.split(',').map((c) => c.trim())
    if (cells.length < 6) {
      throw new Error(`nvidia-smi: expected 6 comma-separated fields, got ${JSON.stringify(line)}`)
    }
    // A GPU name may contain commas: the first two fields and the last three are fixed.
    const [index, uuid] = cells
    const [total, used, util] = cells.slice(-3)
    const name = cells.slice(2, -3).join(', ')
    const num = (s: string) => (/^\d+(\.\d+)?$/.test(s) ? Number(s) : NaN)
    const gpu = {
      index: num(index),
      uuid,
      name,
      memoryTotalMiB: num(total),
      memoryUsedMiB: num(used),
      // "[N/A]" on some boards: unknown load counts as none.
      utilizationPercent: Number.isNaN(num(util)) ? 0 : num(util),
    }
    if (!Number.isInteger(gpu.index)) {
      throw new Error(`nvidia-smi: bad GPU index in ${JSON.stringify(line)}`)
    }
    gpus.push(gpu)
  }
  return gpus
}

/** Lists the GPUs via nvidia-smi (found on PATH); none, with the reason, when it is missing or fails. */
export function queryGpus(
  options: { command?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<{ gpus: GpuInfo[]; reason: string | null }> {
  const command = options.command ?? 'nvidia-smi'
  return new Promise((resolve) => {
    execFile(
      command,
      NVIDIA_SMI_ARGS,
      { env: options.env ?? process.env, timeout: options.timeoutMs ?? 10_000 },
      (error, stdout, stderr) => {
        if (error) {
          const code = (error as NodeJS.ErrnoException).code
          const reason =
            code === 'ENOENT'
              ? `${command} not found (no NVIDIA driver)`
              : `${command} failed: ${(String(stderr).trim() || error.message).split('\n')[0]}`
          resolve({ gpus: [], reason })
          return
        }
        try {
          const gpus = parseNvidiaSmi(String(stdout))
          resolve({ gpus, reason: gpus.length ? null : `${command} lists no GPU` })
        } catch (e) {
          resolve({ gpus: [], reason: (e as Error).message })
        }
      },
    )
  })
}

/** Load of a GPU from other processes as nvidia-smi sees it: utilization first, then memory in use. */
const load = (g: GpuInfo) =>
  g.utilizationPercent + (g.memoryTotalMiB > 0 ? g.memoryUsedMiB / g.memoryTotalMiB : 0)

/**
 * The GPU for the next trial: among those running the fewest of our trials (none, while one is left),
 * the least loaded; ties go to the lower index. Null when there is no GPU.
 */
export function pickGpu(
  gpus: readonly GpuInfo[],
  ourTrialsPerGpu: ReadonlyMap<number, number>,
): number | null {
  let best: GpuInfo | null = null
  const ours = (g: GpuInfo) => ourTrialsPerGpu.get(g.index) ?? 0
  for (const g of gpus) {
    if (
      !best ||
      ours(g) < ours(best) ||
      (ours(g) === ours(best) &&
        (load(g) < load(best) || (load(g) === load(best) && g.index < best.index)))
    ) {
      best = g
    }
  }
  return best ? best.index : null
}

export interface GpuAssigner {
  /** Assigns a GPU to a starting trial (null without GPUs); the same trial keeps its GPU until released. */
  acquire(trialNumber: number): number | null
  release(trialNumber: number): void
  /** New load figures (from a fresh queryGpus); assignments are kept. */
  update(gpus: readonly GpuInfo[]): void
  /** Trial number → GPU index, for the trial records. */
  assignments(): ReadonlyMap<number, number>
}

export function createGpuAssigner(initial: readonly GpuInfo[]): GpuAssigner {
  let gpus = [...initial]
  const byTrial = new Map<number, number>()
  const perGpu = () => {
    const m = new Map<number, number>()
    for (const g of byTrial.values()) m.set(g, (m.get(g) ?? 0) + 1)
    return m
  }
  return {
    acquire(trialNumber) {
      const held = byTrial.get(trialNumber)
      if (held !== undefined) return held
      const gpu = pickGpu(gpus, perGpu())
      if (gpu !== null) byTrial.set(trialNumber, gpu)
      return gpu
    },
    release(trialNumber) {
      byTrial.delete(trialNumber)
    },
    update(next) {
      gpus = [...next]
    },
    assignments: () => new Map(byTrial),
  }
}

/**
 * Environment for a trial worker on `gpu`: CUDA numbers devices fastest-first unless told to use PCI bus
 * order, which is nvidia-smi's, so both are set. Without a GPU nothing changes.
 */
export function gpuWorkerEnv(gpu: number | null): Record<string, string> {
  if (gpu === null) return {}
  return {
    CUDA_DEVICE_ORDER: 'PCI_BUS_ID',
    CUDA_VISIBLE_DEVICES: String(gpu),
    TF_FORCE_GPU_ALLOW_GROWTH: 'true',
  }
}
