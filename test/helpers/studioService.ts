// Test support: the real StudioApi handler table over a store, with a runner hub of Node child workers,
// every result parsed by its schema and no polling (tests call poll()).
import os from 'node:os'
import path from 'node:path'
import type { StudioHandlerOptions } from '../../src/main/api/handlerContext.ts'
import { createStudioHandlers, type StudioService } from '../../src/main/api/studioHandlers.ts'
import { createRunnerHub } from '../../src/main/runner/runnerHub.ts'
import type { StudyStore } from '../../src/main/store/studyStore.ts'
import { createNodeChildHost } from '../../src/main/workers/nodeChildHost.ts'

/** Data sets are uploaded under `dir`/datasets. */
export function createTestService(
  store: StudyStore,
  dir: string,
  options: Partial<StudioHandlerOptions> = {},
): StudioService {
  const hub = createRunnerHub({
    store,
    workers: createNodeChildHost(),
    holder: { pid: process.pid, host: os.hostname() },
  })
  return createStudioHandlers({
    store,
    hub,
    transport: 'http',
    datasetDir: path.join(dir, 'datasets'),
    followIntervalMs: 0,
    checkResults: true,
    ...options,
  })
}
