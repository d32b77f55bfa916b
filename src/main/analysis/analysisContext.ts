// Runs in main: what every study analysis needs — the store and two analysis workers.
import type { ImportanceView } from '../../shared/analysisViews.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { createAnalysisHost, spawnAnalysisChild, type AnalysisHost } from './analysisHost.ts'
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

export function createAnalysisContext(
  store: StudyStore,
  hosts: { fast?: AnalysisHost; heavy?: AnalysisHost } = {},
): AnalysisContext & { close(): void } {
  const fast = hosts.fast ?? createAnalysisHost({ eager: true, defaultTimeoutMs: 10_000 })
  // Importance may compute for seconds: at a lower CPU priority than main, the renderer and training.
  const heavy = hosts.heavy ?? createAnalysisHost({ spawn: () => spawnAnalysisChild(10) })
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
