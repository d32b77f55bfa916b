// Runs in the renderer. A hash router (#/study/3): no server routes needed, works from file:// in Electron.
import { computed, ref } from 'vue'

export type Route =
  | { name: 'studies' }
  | { name: 'new'; template: string | null; from: number | null }
  | { name: 'study'; id: number }
  | { name: 'trials'; id: number; selection: number[] }
  | { name: 'trial'; id: number; number: number }
  | { name: 'compare'; ids: number[] }
  | { name: 'settings' }
  | { name: 'import-optuna' }

const hash = ref(location.hash)
window.addEventListener('hashchange', () => (hash.value = location.hash))

/** "1,2,3" → [1, 2, 3]; anything that is not a whole number is dropped. */
function numberList(text: string | null): number[] {
  return (text ?? '')
    .split(',')
    .filter((x) => /^\d+$/.test(x))
    .map(Number)
}

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
  if (parts[0] === 'study' && /^\d+$/.test(parts[1] ?? '')) {
    const id = Number(parts[1])
    if (parts[2] === 'trials')
      return { name: 'trials', id, selection: numberList(params.get('sel')) }
    if (parts[2] === 'trial' && /^\d+$/.test(parts[3] ?? ''))
      return { name: 'trial', id, number: Number(parts[3]) }
    return { name: 'study', id }
  }
  if (parts[0] === 'compare') return { name: 'compare', ids: numberList(params.get('ids')) }
  if (parts[0] === 'settings') return { name: 'settings' }
  if (parts[0] === 'import-optuna') return { name: 'import-optuna' }
  return { name: 'studies' }
}

export function useRoute() {
  return computed(() => parseRoute(hash.value))
}

export function navigate(to: string): void {
  location.hash = to
}
