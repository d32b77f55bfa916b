// Runs in main: the plots' views of a study, kept until its trials change (the trial cache's version),
// so a tab opened again, a filter set back, or a refresh after an event that changed nothing costs a
// lookup instead of a pass over 10,000 trials.
import type { StudyStore } from '../store/studyStore.ts'
import type { TrialCache } from './trialCache.ts'

export interface ViewCache {
  /** The value for (study, key) computed at this version of the study's trials, or computed now. */
  get<T>(studyId: number, key: string, compute: () => T): T
}

export function createViewCache(store: StudyStore, trials: TrialCache, max = 64): ViewCache {
  const entries = new Map<string, { version: string; value: unknown }>()
  return {
    get<T>(studyId: number, key: string, compute: () => T): T {
      // A deleted study's id can come back: its creation time is part of the version.
      const version = `${trials.version(studyId)}|${store.getStudy(studyId)?.createdAt ?? ''}`
      const id = `${studyId}|${key}`
      const hit = entries.get(id)
      if (hit && hit.version === version) {
        entries.delete(id)
        entries.set(id, hit)
        return hit.value as T
      }
      const value = compute()
      entries.set(id, { version, value })
      // A failed computation is not kept.
      if (value instanceof Promise) value.catch(() => entries.delete(id))
      for (const old of [...entries.keys()].slice(0, Math.max(0, entries.size - max)))
        entries.delete(old)
      return value
    },
  }
}
