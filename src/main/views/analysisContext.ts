// Runs in main: what every study analysis needs — the store and two analysis workers.
import type { ImportanceView } from '../../shared/analysisViews.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { createAnalysisHost, type AnalysisHost } from '../workers/analysisHost.ts'
import { createNodeChildHost } from '../workers/nodeChildHost.ts'
import type { WorkerHost } from '../workers/workerHost.ts'
import { createTrialCache, type TrialCache } from './trialCache.ts'
import { createViewCache, type ViewCache } from './viewCache.ts'

export interface AnalysisContext {
  store: StudyStore
  /** Downsampling: quick requests, answered while importance may be computing in `heavy`. */
  fast: AnalysisHost
  /** Importance: seconds of work, in its own worker so that it never delays a chart. */
  heavy: AnalysisHost
  /** Every trial of recently viewed studies, refreshed incrementally. */
  trials: TrialCache
  /** Plot views, reused while the study's trials stay the same. */
  views: ViewCache
  /** Importance results per study and settings, reused while the complete trials stay the same. */
  importanceCache: Map<string, { key: string; view: ImportanceView }>
}

/** `workers` starts the two analysis workers (default: Node children; Electron: utility processes). */
export function createAnalysisContext(
  store: StudyStore,
  workers: WorkerHost = createNodeChildHost(),
): AnalysisContext & { close(): void } {
  const fast = createAnalysisHost({ workers, eager: true, defaultTimeoutMs: 10_000 })
  // Importance may compute for seconds: at a lower CPU priority than main, the renderer and training.
  const heavy = createAnalysisHost({ workers, niceness: 10 })
  const trials = createTrialCache(store)
  return {
    store,
    fast,
    heavy,
    trials,
    views: createViewCache(store, trials),
    importanceCache: new Map(),
    close() {
      fast.close()
      heavy.close()
    },
  }
}
