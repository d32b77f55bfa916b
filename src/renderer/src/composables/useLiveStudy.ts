// Runs in the renderer: a study's live events turned into batched reloads. Events only mark what is
// stale; at most one flush per BATCH_MS (on an animation frame) refetches it, so a study reporting
// hundreds of intermediate values a second costs a few renders a second, never one per event.
import { onBeforeUnmount } from 'vue'
import type { StudioEvent } from '../../../shared/studioApi.ts'
import { onStudioEvent } from './useStudioEvents.ts'

export const BATCH_MS = 250

export interface StaleParts {
  /** Counts, best, running trials (any trial event). */
  live: boolean
  /** A trial finished: history, curves of finished trials, the table. */
  finished: boolean
  /** Intermediate values arrived (running trials' curves). */
  intermediate: boolean
  /** A trial started (the RL agent recorded a snapshot). */
  started: boolean
  /** The study's own state or another process changed something. */
  study: boolean
}

const none = (): StaleParts => ({
  live: false,
  finished: false,
  intermediate: false,
  started: false,
  study: false,
})

/** Marks parts stale from events of `studyId` and calls `flush` with them, batched. */
export function useLiveStudy(
  studyId: () => number,
  flush: (stale: StaleParts) => Promise<void> | void,
): { markAll(): void } {
  let stale = none()
  let dirty = false
  let timer: ReturnType<typeof setTimeout> | null = null
  let frame = 0
  let running = false
  let last = 0

  const run = async (): Promise<void> => {
    timer = null
    frame = 0
    if (running) return schedule()
    const parts = stale
    stale = none()
    dirty = false
    running = true
    last = performance.now()
    try {
      await flush(parts)
    } finally {
      running = false
      if (dirty) schedule()
    }
  }
  const schedule = (): void => {
    if (timer || frame) return
    const wait = Math.max(0, BATCH_MS - (performance.now() - last))
    timer = setTimeout(() => {
      frame = requestAnimationFrame(() => void run())
    }, wait)
  }
  const mark = (patch: Partial<StaleParts>): void => {
    stale = { ...stale, ...patch }
    dirty = true
    schedule()
  }

  onStudioEvent((e: StudioEvent) => {
    if (e.type === 'studies-changed') return mark({ study: true, live: true, finished: true })
    if (e.studyId !== studyId()) return
    if (e.type === 'intermediate') mark({ live: true, intermediate: true })
    else if (e.type === 'trial-started' || e.type === 'trial-placement')
      mark({ live: true, started: true })
    else if (e.type === 'trial-finished') mark({ live: true, finished: true })
    else mark({ study: true, live: true })
  })
  onBeforeUnmount(() => {
    if (timer) clearTimeout(timer)
    if (frame) cancelAnimationFrame(frame)
  })
  return {
    markAll: () =>
      mark({ live: true, finished: true, intermediate: true, started: true, study: true }),
  }
}
