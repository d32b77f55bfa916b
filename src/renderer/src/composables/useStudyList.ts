// Runs in the renderer. The study list, kept fresh by live events (batched: one reload per burst).
import { ref } from 'vue'
import type { StudySummary } from '../../../shared/study.ts'
import { errorMessage, studio } from '../api/studioClient.ts'
import { onStudioEvent, throttle } from './useStudioEvents.ts'

export function useStudyList() {
  const studies = ref<StudySummary[]>([])
  const loaded = ref(false)
  const error = ref<string | null>(null)
  const reload = async (): Promise<void> => {
    try {
      studies.value = await studio().listStudies()
      error.value = null
    } catch (e) {
      error.value = errorMessage(e)
    } finally {
      loaded.value = true
    }
  }
  const soon = throttle(() => void reload(), 400)
  onStudioEvent((e) => {
    if (e.type !== 'intermediate') soon()
  })
  void reload()
  return { studies, loaded, error, reload }
}
