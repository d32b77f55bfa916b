import { describe, expect, it } from 'vitest'
import type { StudyRecord } from '../../shared/study.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { fakeWorkerHost } from '../../../test/helpers/fakeWorkers.ts'
import { braninSpec } from '../../../test/conformance/storeTestHelpers.ts'
import { createGpuAssigner, type GpuInfo } from './gpuAssignment.ts'
import { localExecutor } from './localExecutor.ts'
import { createTrialExecutor } from './trialExecutor.ts'

const gpu = (index: number, utilizationPercent = 0): GpuInfo => ({
  index,
  uuid: `GPU-${index}`,
  name: 'test card',
  memoryTotalMiB: 16_000,
  memoryUsedMiB: 0,
  utilizationPercent,
})

describe('local trial executor', () => {
  it('forks a trial worker per slot, without GPU variables when there is no GPU', async () => {
    const host = fakeWorkerHost({ trial: () => null })
    const study = { spec: braninSpec() } as StudyRecord
    const { executor, warnings } = await createTrialExecutor({
      store: {} as StudyStore,
      study,
      workers: host,
      data: [],
    })
    expect([executor.workerPerTrial, warnings]).toEqual([false, []])
    const w = executor.start(0, 0)
    expect(w.gpu).toBeNull()
    expect(host.spawned.map((s) => [s.role, s.env])).toEqual([['trial', {}]])
  })

  it('pins each slot to its own GPU, the least loaded first, and frees it on release', () => {
    const host = fakeWorkerHost({ trial: () => null })
    const executor = localExecutor(host, createGpuAssigner([gpu(0, 90), gpu(1, 5)]))
    expect(executor.start(0, 0).gpu).toBe(1)
    expect(executor.start(1, 0).gpu).toBe(0)
    expect(host.spawned[0].env).toMatchObject({
      CUDA_DEVICE_ORDER: 'PCI_BUS_ID',
      CUDA_VISIBLE_DEVICES: '1',
    })
    // a replacement worker for a slot keeps the slot's GPU until it is released
    expect(executor.start(1, 0).gpu).toBe(0)
    executor.release(0)
    executor.release(1)
    expect(executor.start(2, 0).gpu).toBe(1)
  })
})
