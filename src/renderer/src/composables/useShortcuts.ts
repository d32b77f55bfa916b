// Runs in the renderer. Keyboard shortcuts for a view's main actions; plain keys are ignored while
// typing in a field, Ctrl/Cmd combinations are not.
import { onBeforeUnmount, onMounted } from 'vue'

export interface Shortcut {
  /** "n", "Delete", "ctrl+Enter", "/" … (ctrl matches Cmd on macOS). */
  key: string
  description: string
  run: (event: KeyboardEvent) => void
}

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  if (!el) return false
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)
}

export function matches(shortcut: string, e: KeyboardEvent): boolean {
  const parts = shortcut.split('+')
  const key = parts.pop()!
  const ctrl = parts.includes('ctrl')
  if (ctrl !== (e.ctrlKey || e.metaKey)) return false
  if (parts.includes('shift') !== e.shiftKey && key.length > 1) return false
  return e.key.toLowerCase() === key.toLowerCase()
}

export function useShortcuts(shortcuts: () => Shortcut[]): void {
  const onKey = (e: KeyboardEvent): void => {
    if (e.defaultPrevented || document.querySelector('dialog[open]')) return
    for (const s of shortcuts()) {
      const withCtrl = s.key.startsWith('ctrl+')
      if (!withCtrl && (typing(e.target) || e.altKey || e.ctrlKey || e.metaKey)) continue
      if (matches(s.key, e)) {
        e.preventDefault()
        s.run(e)
        return
      }
    }
  }
  onMounted(() => window.addEventListener('keydown', onKey))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))
}
