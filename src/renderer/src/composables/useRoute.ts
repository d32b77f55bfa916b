// Runs in the renderer: the current route (routes.ts), following the address bar.
import { computed, ref } from 'vue'
import { parseRoute } from '../routes.ts'

export { STUDY_TABS, studyHref, type Route, type StudyTab } from '../routes.ts'

const hash = ref(location.hash)
window.addEventListener('hashchange', () => (hash.value = location.hash))

export function useRoute() {
  return computed(() => parseRoute(hash.value))
}

export function navigate(to: string): void {
  location.hash = to
}
