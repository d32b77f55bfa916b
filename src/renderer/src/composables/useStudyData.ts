// Runs in the renderer: one piece of a study's data for a tab or a plot. Fetched at once (in setup,
// so every plot of a page asks before any chart is built), again when its inputs change (a filter, a
// chosen parameter) and when live events make it stale (batched by useLiveStudy); a slow answer never
// overwrites a newer one.
import { ref, shallowRef, watch, type Ref, type WatchSource } from 'vue'
import { errorMessage } from '../api/studioClient.ts'
import { useLiveStudy, type StaleParts } from './useLiveStudy.ts'

export interface StudyData<T> {
  data: Ref<T | null>
  error: Ref<string | null>
  loading: Ref<boolean>
  reload(): Promise<void>
}

export function useStudyData<T>(
  studyId: () => number,
  fetch: () => Promise<T>,
  options: {
    /** Inputs whose change means a new fetch. */
    deps?: WatchSource[]
    /** Which live changes make it stale (default: a trial finished). */
    staleOn?: (stale: StaleParts) => boolean
  } = {},
): StudyData<T> {
  const data = shallowRef<T | null>(null) as Ref<T | null>
  const error = ref<string | null>(null)
  const loading = ref(false)
  let generation = 0

  async function reload(): Promise<void> {
    const g = ++generation
    loading.value = true
    try {
      const value = await fetch()
      if (g !== generation) return
      data.value = value
      error.value = null
    } catch (e) {
      if (g === generation) error.value = errorMessage(e)
    } finally {
      if (g === generation) loading.value = false
    }
  }
  void reload()
  if (options.deps?.length) watch(options.deps, () => void reload(), { deep: true })
  const staleOn = options.staleOn ?? ((s: StaleParts) => s.finished)
  useLiveStudy(studyId, (stale) => (staleOn(stale) ? reload() : undefined))
  return { data, error, loading, reload }
}
