// Runs in the renderer. A hash router (#/study/3): no server routes needed, works from file:// in Electron.
import { computed, ref } from 'vue'

export type Route =
  | { name: 'studies' }
  | { name: 'new'; template: string | null; from: number | null }
  | { name: 'study'; id: number }
  | { name: 'settings' }

const hash = ref(location.hash)
window.addEventListener('hashchange', () => (hash.value = location.hash))

export function parseRoute(h: string): Route {
  const [pathPart, query = ''] = h.replace(/^#/, '').split('?')
  const params = new URLSearchParams(query)
  const parts = pathPart.split('/').filter(Boolean)
  if (parts[0] === 'new') {
    const from = Number(params.get('from'))
    return {
      name: 'new',
      template: params.get('template'),
      from: params.has('from') && Number.isInteger(from) ? from : null,
    }
  }
  if (parts[0] === 'study' && /^\d+$/.test(parts[1] ?? ''))
    return { name: 'study', id: Number(parts[1]) }
  if (parts[0] === 'settings') return { name: 'settings' }
  return { name: 'studies' }
}

export function useRoute() {
  return computed(() => parseRoute(hash.value))
}

export function navigate(to: string): void {
  location.hash = to
}
