// Runs in the renderer. One subscription to the live events for the whole app; views listen here.
import { onBeforeUnmount } from 'vue'
import type { StudioEvent } from '../../../shared/studioApi.ts'
import { studio } from '../api/studioClient.ts'

const listeners = new Set<(event: StudioEvent) => void>()
let subscribed = false

export function onStudioEvent(listener: (event: StudioEvent) => void): void {
  if (!subscribed) {
    subscribed = true
    studio().onEvent((e) => {
      for (const l of listeners) l(e)
    })
  }
  listeners.add(listener)
  onBeforeUnmount(() => listeners.delete(listener))
}

/** Calls `fn` at most once per `ms`, trailing: a burst of events becomes one reload. */
export function throttle(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null
  return () => {
    if (timer) return
    timer = setTimeout(() => {
      timer = null
      fn()
    }, ms)
  }
}
