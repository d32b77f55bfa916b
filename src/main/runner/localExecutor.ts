// Runs in main: trials on this machine (the default executor). Each slot's worker is a process here, reused
// from trial to trial; for CNN studies with several GPUs, each slot's worker is pinned to one GPU (the free
// one first, else the least loaded).
import type { StudySpec } from '../../shared/studySpec.ts'
import { createWorkerClient } from '../workers/workerClient.ts'
import type { WorkerHost } from '../workers/workerHost.ts'
import { createGpuAssigner, gpuWorkerEnv, queryGpus, type GpuAssigner } from './gpuAssignment.ts'
import type { TrialExecutor } from './trialExecutor.ts'

export async function createLocalExecutor(
  spec: StudySpec,
  workers: WorkerHost,
): Promise<TrialExecutor> {
  const gpus = spec.objective.kind === 'cnn' ? (await queryGpus()).gpus : []
  return localExecutor(workers, gpus.length ? createGpuAssigner(gpus) : null)
}

export function localExecutor(workers: WorkerHost, gpus: GpuAssigner | null): TrialExecutor {
  return {
    start(slot) {
      const gpu = gpus?.acquire(slot) ?? null
      return { client: createWorkerClient(workers.spawn('trial', gpuWorkerEnv(gpu))), gpu }
    },
    release(slot) {
      gpus?.release(slot)
    },
    workerPerTrial: false,
    close: async () => [],
  }
}
