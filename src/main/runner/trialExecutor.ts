// Runs in main: where a study's trial workers run. The executor starts the worker of a concurrency slot
// and frees what it held when that worker is gone; trialSlots.ts reuses a worker while it lives. The local
// executor forks a worker on this machine and, for CNN studies with several GPUs, pins each slot's worker
// to one GPU (the free one first, else the least loaded).
import type { StudySpec } from '../../shared/studySpec.ts'
import { createWorkerClient, type WorkerClient } from '../workers/workerClient.ts'
import type { WorkerHost } from '../workers/workerHost.ts'
import { createGpuAssigner, gpuWorkerEnv, queryGpus, type GpuAssigner } from './gpuAssignment.ts'

export interface SlotWorker {
  client: WorkerClient
  /** The GPU the worker is pinned to, null without one. */
  gpu: number | null
}

export interface TrialExecutor {
  /** Starts the trial worker of a slot. */
  start(slot: number): SlotWorker
  /** The slot's worker is gone (crashed, or killed by a cancel): frees what it held. */
  release(slot: number): void
}

/** The executor a study's spec asks for. */
export async function createTrialExecutor(
  spec: StudySpec,
  workers: WorkerHost,
): Promise<TrialExecutor> {
  const gpus = spec.objective.kind === 'cnn' ? (await queryGpus()).gpus : []
  return createLocalExecutor(workers, gpus.length ? createGpuAssigner(gpus) : null)
}

export function createLocalExecutor(workers: WorkerHost, gpus: GpuAssigner | null): TrialExecutor {
  return {
    start(slot) {
      const gpu = gpus?.acquire(slot) ?? null
      return { client: createWorkerClient(workers.spawn('trial', gpuWorkerEnv(gpu))), gpu }
    },
    release(slot) {
      gpus?.release(slot)
    },
  }
}
